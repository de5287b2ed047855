package org.seglight.inference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import org.seglight.model.EncoderFeatures;
import org.seglight.model.NetworkOutput;
import org.seglight.model.Ops;
import org.seglight.model.SeglightNetwork;
import org.seglight.model.TextEmbeddings;

/** The network on DJL's PyTorch engine, the engine training uses: the fallback for inference. */
final class DjlRunner implements NetworkRunner {

    private final NDManager root;
    private final SeglightNetwork network;
    private final DevicePolicy.Choice device;

    /** @param root the manager the network lives under (not closed here: the Segmenter owns it) */
    DjlRunner(NDManager root, SeglightNetwork network, DevicePolicy.Choice device) {
        this.root = root;
        this.network = network;
        this.device = device;
    }

    @Override
    public String describe() {
        return "PyTorch (DJL) on " + device.describe();
    }

    @Override
    public Features encode(float[] chw, int hp, int wp) {
        NDManager keep = root.newSubManager();
        try (NDManager tmp = root.newSubManager()) {
            EncoderFeatures f = network.encode(tmp.create(chw, new Shape(1, 3, hp, wp)), false);
            for (NDArray a : arrays(f)) {
                a.attach(keep);
            }
            return new DjlFeatures(f, keep);
        } catch (RuntimeException e) {
            keep.close();
            throw e;
        }
    }

    @Override
    public Window decode(Features features, float[][] text) {
        EncoderFeatures f = ((DjlFeatures) features).features;
        // The window's intermediates live in their own manager, freed when its logits are closed; the cached
        // features are lent to it and go back to the feature cache then.
        NDManager window = root.newSubManager();
        try {
            for (NDArray a : arrays(f)) {
                a.tempAttach(window);
            }
            NDArray t = text == null ? null : TextEmbeddings.toArray(window, text);
            NetworkOutput out = network.decode(f, t, false, true);
            Shape ls = out.logits().getShape();
            int fw = (int) ls.get(3) / 8;
            int fh = (int) ls.get(2) / 8;
            List<float[]> c2f = new ArrayList<>();
            List<float[]> f2c = new ArrayList<>();
            for (int u = 0; u < out.attnC2f().size(); u++) {
                c2f.add(out.attnC2f().get(u).toFloatArray());                            // (h·K, N)
                f2c.add(out.attnF2c().get(u).transpose(0, 1, 3, 2).toFloatArray());      // (h·K, N)
            }
            return new Window(new DjlLogits(out.logits(), false, window), out.s0() == null ? null : out.s0().toFloatArray(),
                    out.s() == null ? null : out.s().toFloatArray(), c2f, f2c, fw, fh);
        } catch (RuntimeException e) {
            window.close();
            throw e;
        }
    }

    @Override
    public Finished finish(Logits logits, int width, int height, int pw, int ph) {
        DjlLogits d = (DjlLogits) logits;
        try (NDManager call = root.newSubManager()) {
            NDArray l = d.full().get(new NDIndex("0, :, :{}, :{}", height, width)); // (K, h, w)
            l.attach(call);
            byte[] labels = l.argMax(0).toType(DataType.UINT8, false).toByteArray();
            NDArray prob = l.softmax(0);
            if (pw != width || ph != height) {
                prob = Ops.resizeBilinear(prob.expandDims(0), ph, pw).squeeze(0);
            }
            return new Finished(labels, prob.toFloatArray());
        }
    }

    @Override
    public Sum newSum(int k, int height, int width) {
        return new ArraySum(new float[k * height * width], k, height, width);
    }

    @Override
    public Finished finish(Sum sum, float[] count, int pw, int ph) {
        ArraySum a = (ArraySum) sum;
        try (NDManager m = root.newSubManager()) {
            NDArray average = m.create(a.values(), new Shape(1, a.k(), a.height(), a.width()))
                    .div(m.create(count, new Shape(1, 1, a.height(), a.width())));
            return finish(new DjlLogits(average, true, m), a.width(), a.height(), pw, ph);
        }
    }

    @Override
    public void close() {
        // The network and its manager belong to the Segmenter.
    }

    private static NDArray[] arrays(EncoderFeatures f) {
        return new NDArray[] {f.c2(), f.c3(), f.c4(), f.top()};
    }

    private record ArraySum(float[] values, int k, int height, int width) implements Sum {
        @Override
        public float[] toArray() {
            return values.clone();
        }

        @Override
        public void close() {
            // garbage-collected
        }
    }

    private record DjlFeatures(EncoderFeatures features, NDManager manager) implements Features {
        @Override
        public void close() {
            manager.close();
        }
    }

    /** Logits at stride 4 (a decoder's) or at full resolution (wrapped). */
    private record DjlLogits(NDArray array, boolean fullResolution, NDManager manager) implements Logits {
        NDArray full() {
            if (fullResolution) {
                return array;
            }
            Shape s = array.getShape();
            return Ops.resizeBilinear(array, s.get(2) * 4, s.get(3) * 4);
        }

        @Override
        public void addTo(Sum sum, int x, int y, int w, int h) {
            ArraySum a = (ArraySum) sum;
            NDArray up = full();
            Shape s = up.getShape();
            Stitching.addCrop(FloatBuffer.wrap(up.toFloatArray()), (int) s.get(1), (int) s.get(2), (int) s.get(3),
                    FloatBuffer.wrap(a.values()), a.width(), a.height(), x, y, w, h);
        }

        @Override
        public void close() {
            manager.close();
        }
    }
}
