package org.seglight.io;

/** Reads the two JPEG header facts ImageIO does not expose simply: the colour components and EXIF orientation. */
final class Jpeg {

    static boolean isJpeg(byte[] b) {
        return b.length > 3 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xd8;
    }

    /** Number of colour components in the first SOF segment, or -1. */
    static int components(byte[] b) {
        int i = 2;
        while (i + 4 < b.length) {
            if ((b[i] & 0xff) != 0xff) {
                return -1;
            }
            int marker = b[i + 1] & 0xff;
            int len = u16(b, i + 2, false);
            boolean sof = marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc;
            if (sof && i + 9 < b.length) {
                return b[i + 9] & 0xff;
            }
            if (marker == 0xda) {
                return -1;
            }
            i += 2 + len;
        }
        return -1;
    }

    /** The EXIF orientation tag (1..8), or 1 when there is none. */
    static int exifOrientation(byte[] b) {
        int i = 2;
        while (i + 4 < b.length) {
            if ((b[i] & 0xff) != 0xff) {
                return 1;
            }
            int marker = b[i + 1] & 0xff;
            int len = u16(b, i + 2, false);
            if (marker == 0xda) {
                return 1;
            }
            if (marker == 0xe1 && i + 10 < b.length && b[i + 4] == 'E' && b[i + 5] == 'x' && b[i + 6] == 'i'
                    && b[i + 7] == 'f') {
                return orientationFromTiff(b, i + 10, Math.min(b.length, i + 2 + len));
            }
            i += 2 + len;
        }
        return 1;
    }

    private static int orientationFromTiff(byte[] b, int tiff, int end) {
        if (tiff + 8 > end) {
            return 1;
        }
        boolean little = b[tiff] == 'I';
        int ifd = tiff + u32(b, tiff + 4, little);
        if (ifd + 2 > end) {
            return 1;
        }
        int count = u16(b, ifd, little);
        for (int e = 0; e < count; e++) {
            int entry = ifd + 2 + 12 * e;
            if (entry + 12 > end) {
                return 1;
            }
            if (u16(b, entry, little) == 0x0112) {
                int v = u16(b, entry + 8, little);
                return v >= 1 && v <= 8 ? v : 1;
            }
        }
        return 1;
    }

    private static int u16(byte[] b, int i, boolean little) {
        if (i + 1 >= b.length) {
            return 0;
        }
        int x = b[i] & 0xff;
        int y = b[i + 1] & 0xff;
        return little ? x | y << 8 : x << 8 | y;
    }

    private static int u32(byte[] b, int i, boolean little) {
        return little ? u16(b, i, true) | u16(b, i + 2, true) << 16 : u16(b, i, false) << 16 | u16(b, i + 2, false);
    }

    private Jpeg() {}
}
