package org.seglight.inference;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.util.ArrayList;
import java.util.List;
import org.seglight.onnx.OnnxGraph;

/**
 * Where ONNX Runtime runs: the CUDA execution provider when asked for (or, with {@code auto}, when this build
 * carries it and it starts), otherwise the CPU. The choice is tried on a one-node graph, so a missing CUDA or
 * cuDNN library is found and named here, not on the first image.
 */
final class OrtDevice {

    /** The provider chosen and why, in words. */
    record Choice(boolean cuda, String reason, int threads) {
        String describe() {
            return (cuda ? "GPU (CUDA execution provider" : "CPU (" + threads + " threads") + "; " + reason + ")";
        }

        OrtSession.SessionOptions options() throws OrtException {
            OrtSession.SessionOptions o = new OrtSession.SessionOptions();
            o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            o.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            // Every session runs on the environment's one global pool: with a pool per session, the encoder's
            // threads still spin when the decoder starts and the two fight over the cores.
            o.disablePerSessionThreads();
            if (cuda) {
                o.addCUDA(0);
            }
            return o;
        }
    }

    /**
     * The process's one ONNX Runtime environment. DJL's ONNX Runtime engine (the text encoder's) insists on
     * creating it with its thread pools, so it is made through DJL first; sessions here keep their own pools.
     */
    static OrtEnvironment environment() {
        ai.djl.engine.Engine.getEngine("OnnxRuntime");
        return OrtEnvironment.getEnvironment();
    }

    static Choice choose(DevicePolicy policy) {
        int threads = Runtime.getRuntime().availableProcessors();
        OrtEnvironment env = environment();
        boolean built = env.getAvailableProviders().contains(OrtProvider.CUDA);
        String lib = "ONNX Runtime " + env.getVersion();
        if (policy == DevicePolicy.CPU) {
            return new Choice(false, "asked for the CPU", threads);
        }
        if (!built) {
            String why = "this build of Seglight carries the CPU-only " + lib + "; the GPU build (mvn -Pgpu) carries"
                    + " onnxruntime_gpu";
            if (policy == DevicePolicy.GPU) {
                throw new IllegalStateException("A GPU was asked for, but " + why);
            }
            return new Choice(false, "no CUDA execution provider: " + why, threads);
        }
        String failure = tryCuda(env, threads);
        if (failure == null) {
            return new Choice(true, "CUDA 12 and cuDNN 9 found by " + lib, threads);
        }
        if (policy == DevicePolicy.GPU) {
            throw new IllegalStateException("A GPU was asked for, but the CUDA execution provider of " + lib
                    + " did not start: " + failure + "; it needs an NVIDIA driver, CUDA 12 and cuDNN 9 on the"
                    + " library path");
        }
        return new Choice(false, "the CUDA execution provider did not start: " + failure, threads);
    }

    /** Null when a one-node graph runs on CUDA, otherwise the reason it does not. */
    private static String tryCuda(OrtEnvironment env, int threads) {
        OnnxGraph g = new OnnxGraph("probe");
        String x = g.input("x", OnnxGraph.FLOAT, 1);
        g.output(g.node("Relu").in(x).out(), "y", OnnxGraph.FLOAT, 1);
        try (OrtSession.SessionOptions o = new Choice(true, "", threads).options();
                OrtSession s = env.createSession(g.toBytes("dev", "probe"), o)) {
            return s == null ? "no session" : null;
        } catch (OrtException | RuntimeException | UnsatisfiedLinkError e) {
            List<String> missing = missingCudaLibraries();
            return missing.isEmpty() ? e.getMessage() : "missing " + String.join(", ", missing) + " (" + e.getMessage()
                    + ")";
        }
    }

    /** The libraries the CUDA execution provider of ONNX Runtime 1.23 loads, by soname. */
    private static final List<String> CUDA_LIBRARIES = List.of("libcuda.so.1", "libcudart.so.12", "libcublas.so.12",
            "libcublasLt.so.12", "libcufft.so.11", "libcurand.so.10", "libcudnn.so.9");

    /** Which of {@link #CUDA_LIBRARIES} the dynamic linker cannot find (Linux; empty elsewhere). */
    static List<String> missingCudaLibraries() {
        if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
            return List.of();
        }
        List<String> missing = new ArrayList<>();
        for (String lib : CUDA_LIBRARIES) {
            try (Arena arena = Arena.ofConfined()) {
                SymbolLookup.libraryLookup(lib, arena);
            } catch (IllegalArgumentException | IllegalCallerException e) {
                missing.add(lib);
            }
        }
        return missing;
    }

    private OrtDevice() {}
}
