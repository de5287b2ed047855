package org.seglight.onnx;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One protobuf message written field by field (the wire format through protobuf-java's
 * {@link CodedOutputStream}), so the ONNX messages need no generated code: the field numbers are those of
 * onnx/onnx.proto3 and are named in {@link OnnxGraph}.
 */
final class Proto {

    private final ByteString.Output buffer = ByteString.newOutput();
    private final CodedOutputStream out = CodedOutputStream.newInstance(buffer);

    /** One write to the stream. */
    private interface Field {
        void write(CodedOutputStream out) throws IOException;
    }

    private Proto put(Field f) {
        try {
            f.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteString.Output never fails to take bytes
        }
        return this;
    }

    Proto int64(int field, long value) {
        return put(o -> o.writeInt64(field, value));
    }

    Proto int32(int field, int value) {
        return put(o -> o.writeInt32(field, value));
    }

    Proto float32(int field, float value) {
        return put(o -> o.writeFloat(field, value));
    }

    Proto string(int field, String value) {
        return put(o -> o.writeString(field, value));
    }

    Proto bytes(int field, ByteString value) {
        return put(o -> o.writeBytes(field, value));
    }

    Proto message(int field, Proto message) {
        return bytes(field, message.build());
    }

    ByteString build() {
        put(CodedOutputStream::flush);
        return buffer.toByteString();
    }
}
