package org.seglight.io;

/**
 * An image file that decoded only in part (cut short, or damaged after its header): thrown by
 * {@link ImageLoader#read} so exports and training keep such images out unless the user confirms, carrying what
 * was read for callers that show it ({@link ImageLoader#load} returns it instead of throwing).
 */
public final class DamagedImageException extends UnsupportedImageException {

    private final transient ImageLoader.Loaded partial;

    DamagedImageException(ImageLoader.Loaded partial) {
        super(partial.damage());
        this.partial = partial;
    }

    /** The pixels that were read (the rest as the decoder left them), with the damage in words. */
    public ImageLoader.Loaded partial() {
        return partial;
    }
}
