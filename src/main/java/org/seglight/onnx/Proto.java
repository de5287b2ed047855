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

    Proto int64(int field, long value) {
        try {
            out.writeInt64(field, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    Proto int32(int field, int value) {
        try {
            out.writeInt32(field, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    Proto float32(int field, float value) {
        try {
            out.writeFloat(field, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    Proto string(int field, String value) {
        try {
            out.writeString(field, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    Proto bytes(int field, ByteString value) {
        try {
            out.writeBytes(field, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    Proto message(int field, Proto message) {
        return bytes(field, message.build());
    }

    ByteString build() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toByteString();
    }
}
