package org.seglight.io;

import java.util.Arrays;
import org.seglight.mask.LabelMask;

/**
 * COCO run-length encoding of a binary mask, exactly as pycocotools writes it.
 *
 * <p>Pixels are taken in column-major (Fortran) order and the counts alternate between runs of 0s and 1s,
 * starting with 0s (so a mask starting with a 1 has a leading count of 0). The compressed form is
 * pycocotools' string ({@code rleToString} / {@code rleFrString} in maskApi.c): each count, after the first
 * three taken as the difference to the count two before, is written in 5-bit groups, low first, as characters
 * 48 + group, with bit 0x20 set while more groups follow and bit 0x10 of the last group the sign. Matching it
 * exactly is what lets pycocotools, CVAT, Label Studio and others read Seglight's exports.
 */
public final class CocoRle {

    /** The uncompressed counts of the pixels of {@code mask} that have {@code label}. */
    public static long[] counts(LabelMask mask, int label) {
        int w = mask.width();
        int h = mask.height();
        long[] out = new long[16];
        int n = 0;
        boolean current = false;
        long run = 0;
        for (int x = 0; x < w; x++) {
            for (int y = 0; y < h; y++) {
                boolean on = mask.get(x, y) == label;
                if (on != current) {
                    if (n == out.length) {
                        out = Arrays.copyOf(out, n * 2);
                    }
                    out[n++] = run;
                    run = 0;
                    current = on;
                }
                run++;
            }
        }
        if (n == out.length) {
            out = Arrays.copyOf(out, n + 1);
        }
        out[n++] = run;
        return Arrays.copyOf(out, n);
    }

    /** pycocotools' compressed string of the counts. */
    public static String compress(long[] counts) {
        StringBuilder sb = new StringBuilder(counts.length * 2);
        for (int i = 0; i < counts.length; i++) {
            long x = counts[i];
            if (i > 2) {
                x -= counts[i - 2];
            }
            boolean more = true;
            while (more) {
                int c = (int) (x & 0x1f);
                x >>= 5;
                more = (c & 0x10) != 0 ? x != -1 : x != 0;
                if (more) {
                    c |= 0x20;
                }
                sb.append((char) (c + 48));
            }
        }
        return sb.toString();
    }

    /**
     * The counts of a compressed string.
     *
     * @throws IllegalArgumentException when the string is not a valid compressed RLE
     */
    public static long[] decompress(String s) {
        long[] counts = new long[s.length()];
        int m = 0;
        int p = 0;
        while (p < s.length()) {
            long x = 0;
            int k = 0;
            boolean more = true;
            while (more) {
                if (p >= s.length()) {
                    throw new IllegalArgumentException("The RLE string ends in the middle of a count");
                }
                int c = s.charAt(p) - 48;
                if (c < 0 || c > 63) {
                    throw new IllegalArgumentException("The RLE string has an invalid character '" + s.charAt(p)
                            + "' at " + p);
                }
                if (k > 12) {
                    throw new IllegalArgumentException("The RLE string has a count too long at " + p);
                }
                x |= (long) (c & 0x1f) << 5 * k;
                more = (c & 0x20) != 0;
                p++;
                k++;
                if (!more && (c & 0x10) != 0) {
                    x |= -1L << 5 * k;
                }
            }
            if (m > 2) {
                x += counts[m - 2];
            }
            if (x < 0) {
                throw new IllegalArgumentException("The RLE string decodes to a negative count at " + p);
            }
            counts[m++] = x;
        }
        return Arrays.copyOf(counts, m);
    }

    /**
     * The mask the counts describe, row-major ({@code out[y * width + x]}).
     *
     * @throws IllegalArgumentException when the counts do not add up to height x width
     */
    public static boolean[] decode(long[] counts, int height, int width) {
        long total = (long) height * width;
        long sum = 0;
        for (long c : counts) {
            if (c < 0) {
                throw new IllegalArgumentException("An RLE count is negative: " + c);
            }
            sum += c;
        }
        if (sum != total) {
            throw new IllegalArgumentException("The RLE counts add up to " + sum + " pixels, but a " + width + "x"
                    + height + " mask has " + total);
        }
        boolean[] out = new boolean[(int) total];
        long j = 0;
        for (int i = 0; i < counts.length; i++) {
            if (i % 2 == 1) {
                for (long q = j; q < j + counts[i]; q++) {
                    out[(int) (q % height) * width + (int) (q / height)] = true;
                }
            }
            j += counts[i];
        }
        return out;
    }

    /** The number of pixels set. */
    public static long area(long[] counts) {
        long a = 0;
        for (int i = 1; i < counts.length; i += 2) {
            a += counts[i];
        }
        return a;
    }

    /** The bounding box of the pixels set, as COCO's [x, y, width, height]; all zero when none is set. */
    public static int[] bbox(long[] counts, int height) {
        long minX = Long.MAX_VALUE;
        long minY = Long.MAX_VALUE;
        long maxX = -1;
        long maxY = -1;
        long j = 0;
        for (int i = 0; i < counts.length; i++) {
            if (i % 2 == 1 && counts[i] > 0) {
                long first = j;
                long last = j + counts[i] - 1;
                long x0 = first / height;
                long x1 = last / height;
                minX = Math.min(minX, x0);
                maxX = Math.max(maxX, x1);
                if (x1 > x0) {
                    minY = 0;
                    maxY = height - 1;
                } else {
                    minY = Math.min(minY, first % height);
                    maxY = Math.max(maxY, last % height);
                }
            }
            j += counts[i];
        }
        if (maxX < 0) {
            return new int[4];
        }
        return new int[] {(int) minX, (int) minY, (int) (maxX - minX + 1), (int) (maxY - minY + 1)};
    }

    private CocoRle() {}
}
