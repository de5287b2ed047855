package org.seglight.io;

import java.io.IOException;

/** An image that cannot be read or used; the message says why in words a user understands. */
public class UnsupportedImageException extends IOException {

    public UnsupportedImageException(String message) {
        super(message);
    }

    public UnsupportedImageException(String message, Throwable cause) {
        super(message, cause);
    }
}
