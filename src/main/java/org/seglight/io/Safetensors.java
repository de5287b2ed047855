package org.seglight.io;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads and writes the safetensors format (float32 only): an 8-byte little-endian header length, a JSON
 * header of name → dtype, shape and byte offsets, then raw little-endian data.
 *
 * <p>Plain Java values, so weights travel between Seglight and reference code in other frameworks without
 * either side depending on the other.
 */
public final class Safetensors {

    /** One float32 tensor. */
    public record Tensor(long[] shape, float[] data) {
        public Tensor {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            if (n != data.length) {
                throw new IllegalArgumentException("shape holds " + n + " values but data has " + data.length);
            }
        }
    }

    /** Tensors by name, in file order, and the string metadata. */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {}

    private static final long MAX_HEADER = 100L << 20;

    public static Contents read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.getFileName().toString());
        }
    }

    /**
     * Reads a whole safetensors stream.
     *
     * @param source a name for error messages
     * @throws IOException with a message that says what is wrong when the data is not valid safetensors
     */
    public static Contents read(InputStream in, String source) throws IOException {
        byte[] lenBytes = in.readNBytes(8);
        if (lenBytes.length < 8) {
            throw new IOException(source + " is not a safetensors file: it is shorter than its 8-byte header");
        }
        long headerLen = ByteBuffer.wrap(lenBytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (headerLen <= 0 || headerLen > MAX_HEADER) {
            throw new IOException(source + " is not a safetensors file: header length " + headerLen);
        }
        byte[] headerBytes = in.readNBytes((int) headerLen);
        if (headerBytes.length < headerLen) {
            throw new IOException(source + " is truncated inside its header");
        }
        JsonObject header;
        try {
            header = JsonParser.parseString(new String(headerBytes, StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            throw new IOException(source + " has a corrupt safetensors header", e);
        }
        byte[] body = in.readAllBytes();
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : header.entrySet()) {
            if (e.getKey().equals("__metadata__")) {
                for (Map.Entry<String, JsonElement> m : e.getValue().getAsJsonObject().entrySet()) {
                    metadata.put(m.getKey(), m.getValue().getAsString());
                }
                continue;
            }
            JsonObject info = e.getValue().getAsJsonObject();
            String dtype = info.get("dtype").getAsString();
            if (!dtype.equals("F32")) {
                throw new IOException(source + ": tensor " + e.getKey() + " has dtype " + dtype
                        + "; only F32 is supported");
            }
            var shapeJson = info.getAsJsonArray("shape");
            long[] shape = new long[shapeJson.size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = shapeJson.get(i).getAsLong();
            }
            var offsets = info.getAsJsonArray("data_offsets");
            long begin = offsets.get(0).getAsLong();
            long end = offsets.get(1).getAsLong();
            if (begin < 0 || end < begin || end > body.length) {
                throw new IOException(source + " is truncated or corrupt: tensor " + e.getKey() + " needs bytes "
                        + begin + ".." + end + " but the data section has " + body.length);
            }
            float[] data = new float[(int) ((end - begin) / 4)];
            ByteBuffer.wrap(body, (int) begin, (int) (end - begin)).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer()
                    .get(data);
            try {
                tensors.put(e.getKey(), new Tensor(shape, data));
            } catch (IllegalArgumentException ex) {
                throw new IOException(source + ": tensor " + e.getKey() + " " + ex.getMessage(), ex);
            }
        }
        return new Contents(tensors, metadata);
    }

    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata)
            throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            write(out, tensors, metadata);
        }
    }

    public static void write(OutputStream out, Map<String, Tensor> tensors, Map<String, String> metadata)
            throws IOException {
        Map<String, Object> header = new LinkedHashMap<>();
        if (!metadata.isEmpty()) {
            header.put("__metadata__", metadata);
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            long bytes = 4L * e.getValue().data().length;
            header.put(e.getKey(), Map.of("dtype", "F32", "shape", e.getValue().shape(),
                    "data_offsets", new long[] {offset, offset + bytes}));
            offset += bytes;
        }
        byte[] json = new Gson().toJson(header).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer prefix = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        prefix.putLong(padded).put(json);
        while (prefix.hasRemaining()) {
            prefix.put((byte) ' ');
        }
        out.write(prefix.array());
        for (Tensor t : tensors.values()) {
            ByteBuffer buf = ByteBuffer.allocate(4 * t.data().length).order(ByteOrder.LITTLE_ENDIAN);
            buf.asFloatBuffer().put(t.data());
            out.write(buf.array());
        }
    }

    private Safetensors() {}
}
