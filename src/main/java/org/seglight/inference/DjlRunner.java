package org.seglight.inference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;
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
            return new Window(new DjlLogits(out.logits(), window), out.s0() == null ? null : out.s0().toFloatArray(),
                    out.s() == null ? null : out.s().toFloatArray(), c2f, f2c, fw, fh);
        } catch (RuntimeException e) {
            window.close();
            throw e;
        }
    }

    @Override
    public Finished finish(Logits logits, int width, int height, int scale) {
        DjlLogits d = (DjlLogits) logits;
        try (NDManager call = root.newSubManager()) {
            NDArray l = d.full().get(new NDIndex("0, :, :{}, :{}", height, width)); // (K, h, w)
            l.attach(call);
            return finished(l, scale);
        }
    }

    @Override
    public Finished finish(Band band, int from, int to, int scale) {
        try (NDManager m = root.newSubManager()) {
            NDArray values = m.create(band.values(), new Shape(band.classes(), band.capacity(), band.width()));
            NDArray weights = m.create(band.weights(), new Shape(1, band.capacity(), band.width()));
            NDArray blended = values.get(new NDIndex(":, {}:{}, :", from, to)).div(weights.get(
                    new NDIndex(":, {}:{}, :", from, to)));
            return finished(blended, scale);
        }
    }

    /** Labels and (block-averaged) probabilities of logits (K, h, w). */
    private static Finished finished(NDArray l, int scale) {
        byte[] labels = l.argMax(0).toType(DataType.UINT8, false).toByteArray();
        NDArray prob = l.softmax(0);
        if (scale > 1) {
            prob = Pool.avgPool2d(prob.expandDims(0), new Shape(scale, scale), new Shape(scale, scale),
                    new Shape(0, 0), true, false).squeeze(0);
        }
        return new Finished(labels, prob.toFloatArray());
    }

    @Override
    public void close() {
        // The network and its manager belong to the Segmenter.
    }

    private static NDArray[] arrays(EncoderFeatures f) {
        return new NDArray[] {f.c2(), f.c3(), f.c4(), f.top()};
    }

    private record DjlFeatures(EncoderFeatures features, NDManager manager) implements Features {
        @Override
        public long bytes() {
            long n = 0;
            for (NDArray a : arrays(features)) {
                n += a.size() * Float.BYTES;
            }
            return n;
        }

        @Override
        public void close() {
            manager.close();
        }
    }

    /** A decoder's logits at stride 4, in the window's manager. */
    private record DjlLogits(NDArray array, NDManager manager) implements Logits {
        NDArray full() {
            Shape s = array.getShape();
            return Ops.resizeBilinear(array, s.get(2) * 4, s.get(3) * 4);
        }

        @Override
        public FloatBuffer upsampled(int w, int h) {
            try (NDManager tmp = manager.newSubManager()) {
                NDArray up = full();
                up.attach(tmp);
                return FloatBuffer.wrap(up.get(new NDIndex("0, :, :{}, :{}", h, w)).toFloatArray());
            }
        }

        @Override
        public void close() {
            manager.close();
        }
    }
}
