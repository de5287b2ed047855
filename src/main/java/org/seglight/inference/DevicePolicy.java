package org.seglight.inference;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.Locale;

/** Which device to run on: {@code auto} takes the GPU when the engine reports one. */
public enum DevicePolicy {
    AUTO, CPU, GPU;

    /** The device chosen, with the reason in words. */
    public record Choice(Device device, String reason) {
        public String describe() {
            return (device.isGpu() ? "GPU " + device : "CPU") + " (" + reason + ")";
        }
    }

    public static DevicePolicy parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Device must be auto, cpu or gpu, got '" + s + "'", e);
        }
    }

    /** Chooses for the PyTorch engine. */
    public Choice choose() {
        Engine engine = Engine.getEngine("PyTorch");
        int gpus = engine.getGpuCount();
        String lib = "PyTorch " + engine.getVersion();
        return switch (this) {
            case CPU -> new Choice(Device.cpu(), "asked for the CPU");
            case GPU -> {
                if (gpus == 0) {
                    throw new IllegalStateException("A GPU was asked for, but " + lib + " reports no CUDA GPU"
                            + " (the bundled libtorch is CPU-only; point PYTORCH_LIBRARY_PATH at a CUDA build)");
                }
                yield new Choice(Device.gpu(), gpus + " CUDA GPU(s) reported by " + lib);
            }
            case AUTO -> gpus > 0
                    ? new Choice(Device.gpu(), gpus + " CUDA GPU(s) reported by " + lib)
                    : new Choice(Device.cpu(), "no CUDA GPU reported by " + lib
                            + "; the bundled libtorch is CPU-only");
        };
    }
}
