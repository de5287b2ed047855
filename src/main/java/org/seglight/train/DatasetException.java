package org.seglight.train;

import java.io.IOException;

/** A dataset that cannot be trained on as it is; the message names the files at fault. */
public final class DatasetException extends IOException {

    public DatasetException(String message) {
        super(message);
    }
}
