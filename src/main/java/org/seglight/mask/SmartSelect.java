package org.seglight.mask;

import java.util.Objects;

/**
 * The smart select (a magic wand): from a clicked pixel, grows the region of pixels that look like it, using
 * the image and, where the model has segmented it, the network's own per-pixel class scores, and stops at
 * edges.
 *
 * <p>The image is read around the click (at most {@link #REACH} pixels each way), converted to CIE Lab and
 * smoothed with a 3x3 box so that texture and JPEG noise do not break a region apart. A pixel joins when
 * <ul>
 *   <li>its colour is within the tolerance of the colour around the click (ΔE, Lab distance),</li>
 *   <li>the step from the neighbour it is reached from is not an edge (a colour jump between neighbouring
 *       smoothed pixels of more than a fifth of the colour tolerance), so the region snaps to the image's
 *       edges, and</li>
 *   <li>with scores, the network sees it as the same kind of thing: the L1 distance between its class
 *       probabilities and those at the click is within the tolerance too, more so the nearer its colour is to
 *       the click's (two grey surfaces the network tells apart stay apart).</li>
 * </ul>
 * Smoothing stops the growth a pixel short of a sharp edge, so the pixels just outside then join when, as
 * they are, they are nearer the click's colour than the pixel beyond them. Holes the region encloses that are
 * smaller than 2 % of it (specks, glare) are filled. The result is a bounding box and one byte per pixel of it.
 *
 * <p>On CamVid val (every fifth image, 368 ground-truth regions of at least 400 pixels, a click at each one's
 * most interior pixel, tolerance 40; {@code SmartSelectCamvidTest}): mean IoU 0.49 with the shipped model's
 * scores, 0.15 by colour alone (0.24 at its best tolerance, 20), and 0.47 for relabelling the model's own
 * connected region under the click (the Relabel tool). The scores yield to an exact colour match ({@link #SURE}): that costs 0.03 there, and without
 * it a flat red box lost its corners, where the network's scores blur.
 *
 * <p>Preparing the Lab window is most of the cost, so a {@link Prepared} window is reused for clicks inside it
 * (a change of tolerance selects again from the same window).
 */
public final class SmartSelect {

    /** How far from the click, in pixels each way, the region may grow. */
    public static final int REACH = 768;

    /** How much more score distance an exact colour match is allowed than one at the colour tolerance. */
    static final double SURE = 0.5;

    /** The tolerance range of the control, and its default. */
    public static final int MIN_TOLERANCE = 1;
    public static final int MAX_TOLERANCE = 100;
    public static final int DEFAULT_TOLERANCE = 40;

    /** Reads the packed RGB ({@code 0xRRGGBB}) pixels of a rectangle of the image into {@code dst}, row-major. */
    @FunctionalInterface
    public interface Pixels {
        void read(int x0, int y0, int width, int height, int[] dst);
    }

    /**
     * The network's class probabilities on a grid: {@code data[(k * height + y) * width + x]}, one cell per
     * {@code scale} image pixels.
     */
    public record Scores(int classes, int width, int height, int scale, float[] data) {
        public Scores {
            Objects.requireNonNull(data, "data");
            if ((long) classes * width * height != data.length || scale < 1) {
                throw new IllegalArgumentException("scores of " + classes + "x" + height + "x" + width
                        + " at scale " + scale + " do not match " + data.length + " values");
            }
        }
    }

    /** The selected pixels: {@code inside[(y - box.y()) * box.width() + (x - box.x())] != 0}. */
    public record Selection(Region box, byte[] inside) {
        /** How many pixels are selected. */
        public long count() {
            long n = 0;
            for (byte b : inside) {
                n += b != 0 ? 1 : 0;
            }
            return n;
        }

        /** Whether image pixel (x, y) is selected. */
        public boolean contains(int x, int y) {
            return box.contains(x, y) && inside[(y - box.y()) * box.width() + (x - box.x())] != 0;
        }
    }

    private SmartSelect() {}

    /** Prepares the window of an image around (x, y) for selecting. */
    public static Prepared prepare(Pixels image, int imageWidth, int imageHeight, int x, int y) {
        if (x < 0 || y < 0 || x >= imageWidth || y >= imageHeight) {
            throw new IllegalArgumentException("(" + x + ", " + y + ") is outside the " + imageWidth + "x"
                    + imageHeight + " image");
        }
        Region window = Region.spanning(Math.max(0, x - REACH), Math.max(0, y - REACH),
                Math.min(imageWidth - 1, x + REACH), Math.min(imageHeight - 1, y + REACH));
        return new Prepared(image, window);
    }

    /** A window of the image in smoothed Lab, ready to select from. */
    public static final class Prepared {
        private final Region window;
        /** The window in Lab, as it is and smoothed. */
        private final float[] raw;
        private final float[] lab;

        private Prepared(Pixels image, Region window) {
            this.window = window;
            int w = window.width();
            int h = window.height();
            int[] rgb = new int[w * h];
            image.read(window.x(), window.y(), w, h, rgb);
            this.raw = new float[3 * w * h];
            for (int i = 0; i < rgb.length; i++) {
                toLab(rgb[i], raw, 3 * i);
            }
            this.lab = boxBlur(raw, w, h, 1);
        }

        /** The part of the image this window holds. */
        public Region window() {
            return window;
        }

        /** Whether a click at (x, y) can use this window (it is not within a quarter reach of a cut edge). */
        public boolean serves(int x, int y, int imageWidth, int imageHeight) {
            int margin = REACH * 3 / 4;
            return window.contains(x, y)
                    && (window.x() == 0 || x - window.x() >= margin)
                    && (window.y() == 0 || y - window.y() >= margin)
                    && (window.endX() == imageWidth || window.endX() - x > margin)
                    && (window.endY() == imageHeight || window.endY() - y > margin);
        }

        /**
         * The region grown from (x, y).
         *
         * @param tolerance 1 (only the clicked colour) to 100 (very loose)
         * @param scores the network's class probabilities for the whole image, or null to use the colour only
         */
        public Selection select(int x, int y, int tolerance, Scores scores) {
            if (!window.contains(x, y)) {
                throw new IllegalArgumentException("(" + x + ", " + y + ") is outside the prepared " + window);
            }
            int t = Math.max(MIN_TOLERANCE, Math.min(MAX_TOLERANCE, tolerance));
            double colourTol = 0.8 * t;        // ΔE to the colour at the click
            double edgeTol = Math.max(1.0, 0.15 * t); // ΔE between neighbours: more is an edge
            double scoreTol = 0.25 + 0.0175 * t;   // L1 between probability vectors (0..2)
            int w = window.width();
            int h = window.height();
            int sx = x - window.x();
            int sy = y - window.y();
            int s = sy * w + sx;
            float[] seed = {lab[3 * s], lab[3 * s + 1], lab[3 * s + 2]};
            float[] seedScores = scores == null ? null : scoresAt(scores, x, y, new float[scores.classes()]);
            float[] probe = scores == null ? null : new float[scores.classes()];
            byte[] in = new byte[w * h];
            int[] queue = new int[Math.min(w * h, 1 << 16)];
            int head = 0;
            int tail = 0;
            queue[tail++] = s;
            in[s] = 1;
            int minX = sx;
            int maxX = sx;
            int minY = sy;
            int maxY = sy;
            int count = 0;
            int[] dx = {1, -1, 0, 0};
            int[] dy = {0, 0, 1, -1};
            int size = 1;
            while (size > 0) {
                int p = queue[head];
                head = (head + 1) % queue.length;
                size--;
                count++;
                int px = p % w;
                int py = p / w;
                minX = Math.min(minX, px);
                maxX = Math.max(maxX, px);
                minY = Math.min(minY, py);
                maxY = Math.max(maxY, py);
                for (int d = 0; d < 4; d++) {
                    int qx = px + dx[d];
                    int qy = py + dy[d];
                    if (qx < 0 || qy < 0 || qx >= w || qy >= h) {
                        continue;
                    }
                    int q = qy * w + qx;
                    if (in[q] != 0 || distance(lab, q, seed) > colourTol || step(lab, p, lab, q) > edgeTol) {
                        continue;
                    }
                    // The nearer the colour to the click's, the surer the network must be that it is another
                    // thing: its scores blur near a class's border, where an exact colour match still belongs.
                    if (seedScores != null && l1(seedScores, scoresAt(scores, qx + window.x(), qy + window.y(),
                            probe)) > scoreTol + SURE * (1 - distance(lab, q, seed) / colourTol)) {
                        continue;
                    }
                    in[q] = 1;
                    if (size == queue.length) {
                        queue = grow(queue, head, size);
                        head = 0;
                        tail = size;
                    }
                    queue[tail] = q;
                    tail = (tail + 1) % queue.length;
                    size++;
                }
            }
            // Smoothing steadies the growth against noise but stops it one pixel short of a sharp edge: a pixel
            // just outside joins when, as it is, it is nearer the click's colour than the pixel beyond it.
            // Twice: the corners of a box join through the edges the first pass added.
            for (int pass = 0; pass < 2; pass++) {
                IntList ring = new IntList();
                for (int py = Math.max(0, minY - 1); py <= Math.min(h - 1, maxY + 1); py++) {
                    for (int px = Math.max(0, minX - 1); px <= Math.min(w - 1, maxX + 1); px++) {
                        int q = py * w + px;
                        double near = distance(raw, q, seed);
                        if (in[q] != 0 || near > colourTol) {
                            continue;
                        }
                        for (int d = 0; d < 4; d++) {
                            int fx = px - dx[d]; // the selected neighbour on one side, the pixel beyond on the other
                            int fy = py - dy[d];
                            int bx = px + dx[d];
                            int by = py + dy[d];
                            if (fx < 0 || fy < 0 || fx >= w || fy >= h || in[fy * w + fx] == 0) {
                                continue;
                            }
                            double beyond = bx < 0 || by < 0 || bx >= w || by >= h ? Double.MAX_VALUE
                                    : step(raw, q, raw, by * w + bx);
                            // Where the colours leave no doubt (an edge right beyond) they decide; the scores,
                            // blurred at a class's border, decide only where the colours do not.
                            boolean join = near + edgeTol < beyond || near <= beyond && (seedScores == null
                                    || l1(seedScores, scoresAt(scores, px + window.x(), py + window.y(), probe))
                                            <= scoreTol);
                            if (join) {
                                ring.add(q);
                                break;
                            }
                        }
                    }
                }
                for (int i = 0; i < ring.size(); i++) {
                    int q = ring.get(i);
                    in[q] = 1;
                    count++;
                    minX = Math.min(minX, q % w);
                    maxX = Math.max(maxX, q % w);
                    minY = Math.min(minY, q / w);
                    maxY = Math.max(maxY, q / w);
                }
            }
            Region box = Region.spanning(minX, minY, maxX, maxY);
            byte[] inside = new byte[(int) box.area()];
            for (int r = 0; r < box.height(); r++) {
                System.arraycopy(in, (box.y() + r) * w + box.x(), inside, r * box.width(), box.width());
            }
            fillHoles(inside, box.width(), box.height(), Math.max(4, count / 50));
            return new Selection(Region.of(box.x() + window.x(), box.y() + window.y(), box.width(), box.height()),
                    inside);
        }
    }

    /** A growable list of ints. */
    private static final class IntList {
        private int[] values = new int[64];
        private int size;

        void add(int v) {
            if (size == values.length) {
                values = java.util.Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        int get(int i) {
            return values[i];
        }

        int size() {
            return size;
        }
    }

    private static int[] grow(int[] queue, int head, int size) {
        int[] bigger = new int[queue.length * 2];
        for (int i = 0; i < size; i++) {
            bigger[i] = queue[(head + i) % queue.length];
        }
        return bigger;
    }

    private static float[] scoresAt(Scores sc, int x, int y, float[] dst) {
        int gx = Math.min(sc.width() - 1, x / sc.scale());
        int gy = Math.min(sc.height() - 1, y / sc.scale());
        int plane = sc.width() * sc.height();
        int at = gy * sc.width() + gx;
        for (int k = 0; k < dst.length; k++) {
            dst[k] = sc.data()[k * plane + at];
        }
        return dst;
    }

    private static double l1(float[] a, float[] b) {
        double sum = 0;
        for (int k = 0; k < a.length; k++) {
            sum += Math.abs(a[k] - b[k]);
        }
        return sum;
    }

    private static double distance(float[] lab, int i, float[] c) {
        double l = lab[3 * i] - c[0];
        double a = lab[3 * i + 1] - c[1];
        double b = lab[3 * i + 2] - c[2];
        return Math.sqrt(l * l + a * a + b * b);
    }

    private static double step(float[] from, int p, float[] to, int q) {
        double l = from[3 * p] - to[3 * q];
        double a = from[3 * p + 1] - to[3 * q + 1];
        double b = from[3 * p + 2] - to[3 * q + 2];
        return Math.sqrt(l * l + a * a + b * b);
    }

    /**
     * Fills the unselected 4-connected areas that do not reach the box's border and are smaller than
     * {@code maxHole} pixels.
     */
    static void fillHoles(byte[] inside, int w, int h, int maxHole) {
        byte[] seen = new byte[inside.length];
        int[] stack = new int[64];
        int[] area = new int[64];
        for (int start = 0; start < inside.length; start++) {
            if (inside[start] != 0 || seen[start] != 0) {
                continue;
            }
            int n = 0;
            int top = 0;
            boolean border = false;
            stack[top++] = start;
            seen[start] = 1;
            while (top > 0) {
                int p = stack[--top];
                if (n == area.length) {
                    area = java.util.Arrays.copyOf(area, n * 2);
                }
                area[n++] = p;
                int px = p % w;
                int py = p / w;
                border |= px == 0 || py == 0 || px == w - 1 || py == h - 1;
                int[] next = {px > 0 ? p - 1 : -1, px < w - 1 ? p + 1 : -1, py > 0 ? p - w : -1,
                        py < h - 1 ? p + w : -1};
                for (int q : next) {
                    if (q >= 0 && inside[q] == 0 && seen[q] == 0) {
                        seen[q] = 1;
                        if (top == stack.length) {
                            stack = java.util.Arrays.copyOf(stack, top * 2);
                        }
                        stack[top++] = q;
                    }
                }
            }
            if (!border && n < maxHole) {
                for (int i = 0; i < n; i++) {
                    inside[area[i]] = 1;
                }
            }
        }
    }

    // Colour

    private static final float[] LINEAR = new float[256];

    static {
        for (int v = 0; v < 256; v++) {
            double c = v / 255.0;
            LINEAR[v] = (float) (c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4));
        }
    }

    /** sRGB (D65) to CIE Lab, written at {@code dst[at..at+2]}. */
    static void toLab(int rgb, float[] dst, int at) {
        double r = LINEAR[(rgb >> 16) & 0xff];
        double g = LINEAR[(rgb >> 8) & 0xff];
        double b = LINEAR[rgb & 0xff];
        double x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
        double y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
        double z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
        double fx = f(x);
        double fy = f(y);
        double fz = f(z);
        dst[at] = (float) (116 * fy - 16);
        dst[at + 1] = (float) (500 * (fx - fy));
        dst[at + 2] = (float) (200 * (fy - fz));
    }

    private static double f(double t) {
        return t > 216.0 / 24389 ? Math.cbrt(t) : (24389.0 / 27 * t + 16) / 116;
    }

    /** A (2r+1)x(2r+1) box mean of interleaved 3-channel data, the window shrinking at the borders. */
    static float[] boxBlur(float[] src, int w, int h, int r) {
        float[] rows = new float[src.length];
        for (int y = 0; y < h; y++) {
            for (int c = 0; c < 3; c++) {
                double sum = 0;
                int n = 0;
                int row = y * w;
                for (int x = 0; x <= Math.min(r, w - 1); x++) {
                    sum += src[3 * (row + x) + c];
                    n++;
                }
                for (int x = 0; x < w; x++) {
                    rows[3 * (row + x) + c] = (float) (sum / n);
                    int add = x + r + 1;
                    int drop = x - r;
                    if (add < w) {
                        sum += src[3 * (row + add) + c];
                        n++;
                    }
                    if (drop >= 0) {
                        sum -= src[3 * (row + drop) + c];
                        n--;
                    }
                }
            }
        }
        float[] out = new float[src.length];
        for (int x = 0; x < w; x++) {
            for (int c = 0; c < 3; c++) {
                double sum = 0;
                int n = 0;
                for (int y = 0; y <= Math.min(r, h - 1); y++) {
                    sum += rows[3 * (y * w + x) + c];
                    n++;
                }
                for (int y = 0; y < h; y++) {
                    out[3 * (y * w + x) + c] = (float) (sum / n);
                    int add = y + r + 1;
                    int drop = y - r;
                    if (add < h) {
                        sum += rows[3 * (add * w + x) + c];
                        n++;
                    }
                    if (drop >= 0) {
                        sum -= rows[3 * (drop * w + x) + c];
                        n--;
                    }
                }
            }
        }
        return out;
    }
}
