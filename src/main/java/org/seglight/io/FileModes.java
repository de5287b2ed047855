package org.seglight.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Gives files written through a private temporary file the usual rw-r--r-- permissions. */
public final class FileModes {

    public static void makeReadable(Path file) {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException | IOException e) {
            // not a POSIX file system (Windows): its defaults already allow reading
        }
    }

    private FileModes() {}
}
