package org.seglight.ui.viewer;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javafx.application.Platform;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.embed.swing.SwingFXUtils;
import javafx.geometry.VPos;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.image.Image;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.input.ScrollEvent;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.text.TextAlignment;
import org.seglight.inference.SegmentationResult;
import org.seglight.inference.SlotMapping;
import org.seglight.mask.LabelMask;
import org.seglight.render.MaskRaster;
import org.seglight.ui.corrections.CorrectionsViewModel;
import org.seglight.ui.corrections.Tool;
import org.seglight.ui.images.ImageSession;
import org.seglight.ui.inspector.InspectorViewModel;
import org.seglight.ui.prompts.PromptsViewModel;

/**
 * The one image viewer: a single {@link Canvas} painting, in a fixed order, the image, the mask, the score or
 * attention map and the edit cursor. Only the visible part of each layer is drawn at the current zoom, masks
 * scale nearest-neighbour and maps bilinearly, repaints are coalesced into one per pulse, and full mask
 * renders of large images run off the FX thread.
 */
public final class ViewerCanvas extends Region {

    private static final int SYNC_RENDER_PIXELS = 2_000_000;

    /** The status bar's text for image pixel (x, y). */
    @FunctionalInterface
    public interface PixelReadout {
        String at(int x, int y);
    }

    private final ImageSession session;
    private final CorrectionsViewModel corrections;
    private final PromptsViewModel prompts;
    private final InspectorViewModel inspector;
    private final OverlayOptions overlay;
    private final PixelReadout pixelReadout;
    private final Canvas canvas = new Canvas();
    private final ExecutorService renderer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "seglight-render");
        t.setDaemon(true);
        return t;
    });

    private Image image;
    private WritableImage mask;
    private WritableImage map;
    private final ReadOnlyObjectWrapper<MapLayer> mapLayer = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper readout = new ReadOnlyStringWrapper("");
    private final ReadOnlyDoubleWrapper zoom = new ReadOnlyDoubleWrapper(1);
    private double tx;
    private double ty;
    private double mouseX = Double.NaN;
    private double mouseY = Double.NaN;
    private double dragX;
    private double dragY;
    private boolean panning;
    private boolean moved;
    private boolean repaintQueued;
    private boolean fitPending;

    /**
     * @param session the open image and its segmentation
     * @param corrections the mask and the tools that edit it
     * @param prompts the class table: colours, visibility, names and the model's slots
     * @param inspector the attention map and the pixel it charts
     * @param overlay what is shown, with what opacity
     * @param lookRevision changes whenever colours, visibility or maps do
     * @param pixelReadout the status bar's text for the pixel under the mouse
     */
    public ViewerCanvas(ImageSession session, CorrectionsViewModel corrections, PromptsViewModel prompts,
            InspectorViewModel inspector, OverlayOptions overlay, ReadOnlyLongProperty lookRevision,
            PixelReadout pixelReadout) {
        this.session = session;
        this.corrections = corrections;
        this.prompts = prompts;
        this.inspector = inspector;
        this.overlay = overlay;
        this.pixelReadout = pixelReadout;
        setId("viewer");
        getChildren().add(canvas);
        setMinSize(200, 200);
        setFocusTraversable(true);
        getStyleClass().add("viewer");
        session.imageProperty().addListener((o, a, b) -> {
            image = b == null ? null : SwingFXUtils.toFXImage(b, null);
            mask = null;
            map = null;
            fitPending = true;
            fit();
        });
        corrections.maskRevisionProperty().addListener((o, a, b) -> maskChanged());
        lookRevision.addListener((o, a, b) -> {
            renderMaskFull();
            refreshMap();
        });
        overlay.imageOpacityProperty().addListener((o, a, b) -> repaint());
        overlay.showMaskProperty().addListener((o, a, b) -> repaint());
        overlay.maskOpacityProperty().addListener((o, a, b) -> repaint());
        overlay.mapOpacityProperty().addListener((o, a, b) -> repaint());
        overlay.mapKindProperty().addListener((o, a, b) -> refreshMap());
        overlay.mapClassProperty().addListener((o, a, b) -> refreshMap());
        session.resultProperty().addListener((o, a, b) -> refreshMap());
        inspector.heatMapProperty().addListener((o, a, b) -> refreshMap());
        inspector.selectedPixelProperty().addListener((o, a, b) -> repaint());
        corrections.polygon().addListener((javafx.collections.ListChangeListener<double[]>) c -> repaint());
        corrections.toolProperty().addListener((o, a, b) -> repaint());
        corrections.brushRadiusProperty().addListener((o, a, b) -> repaint());

        addEventHandler(ScrollEvent.SCROLL, e -> {
            if (image != null && e.getDeltaY() != 0) {
                zoomAt(Math.pow(1.0015, e.getDeltaY()), e.getX(), e.getY());
            }
            e.consume();
        });
        addEventHandler(MouseEvent.MOUSE_PRESSED, this::pressed);
        addEventHandler(MouseEvent.MOUSE_DRAGGED, this::dragged);
        addEventHandler(MouseEvent.MOUSE_RELEASED, this::released);
        addEventHandler(MouseEvent.MOUSE_MOVED, e -> hover(e.getX(), e.getY()));
        addEventHandler(MouseEvent.MOUSE_EXITED, e -> {
            mouseX = Double.NaN;
            readout.set("");
            repaint();
        });
    }

    // View commands

    /** Fits the whole image into the view. */
    public void fit() {
        if (image == null || getWidth() <= 0 || getHeight() <= 0) {
            repaint();
            return;
        }
        double s = Math.min(getWidth() / image.getWidth(), getHeight() / image.getHeight()) * 0.98;
        setView(s, (getWidth() - image.getWidth() * s) / 2, (getHeight() - image.getHeight() * s) / 2);
    }

    /** One image pixel per screen pixel, keeping the view's centre. */
    public void actualSize() {
        zoomAt(1 / zoom.get(), getWidth() / 2, getHeight() / 2);
    }

    /** Zooms by a factor around the view's centre. */
    public void zoomBy(double factor) {
        zoomAt(factor, getWidth() / 2, getHeight() / 2);
    }

    private void zoomAt(double factor, double sx, double sy) {
        double s = Math.max(0.02, Math.min(64, zoom.get() * factor));
        double ix = (sx - tx) / zoom.get();
        double iy = (sy - ty) / zoom.get();
        setView(s, sx - ix * s, sy - iy * s);
    }

    private void setView(double s, double x, double y) {
        zoom.set(s);
        tx = x;
        ty = y;
        repaint();
    }

    /** Image coordinates of a point in this node. */
    public double[] toImage(double x, double y) {
        return new double[] {(x - tx) / zoom.get(), (y - ty) / zoom.get()};
    }

    /** This node's coordinates of an image point. */
    public double[] toView(double ix, double iy) {
        return new double[] {tx + ix * zoom.get(), ty + iy * zoom.get()};
    }

    // Input

    private void pressed(MouseEvent e) {
        requestFocus();
        dragX = e.getX();
        dragY = e.getY();
        moved = false;
        Tool tool = corrections.toolProperty().get();
        panning = e.getButton() == MouseButton.MIDDLE || e.getButton() == MouseButton.SECONDARY
                || tool == Tool.INSPECT;
        if (panning || e.getButton() != MouseButton.PRIMARY) {
            return;
        }
        if (image == null || !corrections.hasMask()) {
            if (session.pathProperty().get() != null) {
                // Said rather than silently dropped: nothing is on screen to paint on yet.
                readout.set(session.pathProperty().get().getFileName() + " is still opening: paint once it shows");
            }
            return;
        }
        double[] p = toImage(e.getX(), e.getY());
        switch (tool) {
            case BRUSH, ERASER -> corrections.beginStroke(p[0], p[1]);
            case POLYGON -> {
                if (e.getClickCount() >= 2) {
                    corrections.closePolygon();
                } else {
                    corrections.polygonClick(p[0], p[1], 8 / zoom.get());
                }
            }
            case FILL, VOID_FILL -> corrections.fill((int) Math.floor(p[0]), (int) Math.floor(p[1]));
            default -> { }
        }
    }

    private void dragged(MouseEvent e) {
        hover(e.getX(), e.getY());
        if (panning) {
            moved |= Math.hypot(e.getX() - dragX, e.getY() - dragY) > 3;
            tx += e.getX() - dragX;
            ty += e.getY() - dragY;
            dragX = e.getX();
            dragY = e.getY();
            repaint();
        } else if (corrections.toolProperty().get() == Tool.BRUSH || corrections.toolProperty().get() == Tool.ERASER) {
            double[] p = toImage(e.getX(), e.getY());
            corrections.strokeTo(p[0], p[1]);
        }
    }

    private void released(MouseEvent e) {
        if (panning) {
            panning = false;
            if (!moved && e.getButton() == MouseButton.PRIMARY && image != null) {
                double[] p = toImage(e.getX(), e.getY());
                if (p[0] >= 0 && p[1] >= 0 && p[0] < image.getWidth() && p[1] < image.getHeight()) {
                    inspector.selectPixel((int) p[0], (int) p[1]);
                }
            }
            return;
        }
        double[] p = toImage(e.getX(), e.getY());
        corrections.endStroke(p[0], p[1]); // a fast drag's last segment reaches the release point
    }

    private void hover(double x, double y) {
        mouseX = x;
        mouseY = y;
        if (image != null) {
            double[] p = toImage(x, y);
            readout.set(pixelReadout.at((int) Math.floor(p[0]), (int) Math.floor(p[1])));
        }
        if (corrections.toolProperty().get() != Tool.INSPECT) {
            repaint();
        }
    }

    // Layers

    private void maskChanged() {
        org.seglight.mask.Region d = corrections.takeDirty();
        if (!corrections.hasMask()) {
            mask = null;
            repaint();
            return;
        }
        if (d == null || mask == null) {
            renderMaskFull();
            return;
        }
        byte[] labels = new byte[d.width() * d.height()];
        corrections.copyMask(d, labels);
        int[] px = MaskRaster.render(labels, MaskRaster.lut(prompts.colors(), prompts.visible()));
        mask.getPixelWriter().setPixels(d.x(), d.y(), d.width(), d.height(), PixelFormat.getIntArgbInstance(), px,
                0, d.width());
        repaint();
    }

    private void renderMaskFull() {
        LabelMask m = corrections.mask();
        if (m == null) {
            mask = null;
            repaint();
            return;
        }
        int[] colors = prompts.colors();
        boolean[] visible = prompts.visible();
        long revision = corrections.maskRevisionProperty().get();
        if ((long) m.width() * m.height() <= SYNC_RENDER_PIXELS) {
            applyMask(m, MaskRaster.render(m, colors, visible));
            return;
        }
        renderer.execute(() -> {
            int[] px = MaskRaster.render(m, colors, visible);
            Platform.runLater(() -> {
                if (revision == corrections.maskRevisionProperty().get()) {
                    applyMask(m, px);
                } else {
                    renderMaskFull();
                }
            });
        });
    }

    private void applyMask(LabelMask m, int[] px) {
        if (mask == null || mask.getWidth() != m.width() || mask.getHeight() != m.height()) {
            mask = new WritableImage(m.width(), m.height());
        }
        mask.getPixelWriter().setPixels(0, 0, m.width(), m.height(), PixelFormat.getIntArgbInstance(), px, 0,
                m.width());
        repaint();
    }

    /** What a map layer is made of: the same inputs give the same pixels, so they are kept (a few of them). */
    private record MapKey(MapKind kind, int row, String name, SegmentationResult result, String mapping,
            Object heat) {}

    private final java.util.Map<MapKey, Object[]> mapCache = new java.util.LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<MapKey, Object[]> e) {
            return size() > 6;
        }
    };
    private long mapRequest;

    /**
     * Shows the map the layer controls ask for. Its values and colours come from a small cache; a map of a large
     * image is computed and colour-mapped on the render thread, not on the FX thread.
     */
    private void refreshMap() {
        long request = ++mapRequest;
        int row = overlay.mapClassProperty().get();
        var names = prompts.names();
        String name = row >= 0 && row < names.size() ? names.get(row) : "?";
        MapKind kind = overlay.mapKindProperty().get();
        SegmentationResult result = session.resultProperty().get();
        SlotMapping mapping = prompts.mapping();
        var heat = inspector.heatMapProperty().get();
        MapKey key = new MapKey(kind, row, name, result, java.util.Arrays.toString(mapping.slotToRow()), heat);
        Object[] cached = mapCache.get(key);
        if (cached != null) {
            showMap((MapLayer) cached[0], (int[]) cached[1]);
            return;
        }
        java.util.function.Supplier<Object[]> make = () -> {
            MapLayer layer = MapLayer.of(kind, row, name, result, mapping, heat);
            return new Object[] {layer, layer == null ? null : layer.argb()};
        };
        long pixels = result == null ? 0 : (long) result.probabilities().width() * result.probabilities().height();
        if (pixels <= SYNC_RENDER_PIXELS) {
            Object[] made = make.get();
            mapCache.put(key, made);
            showMap((MapLayer) made[0], (int[]) made[1]);
            return;
        }
        renderer.execute(() -> {
            Object[] made = make.get();
            Platform.runLater(() -> {
                mapCache.put(key, made);
                if (request == mapRequest) {
                    showMap((MapLayer) made[0], (int[]) made[1]);
                }
            });
        });
    }

    private void showMap(MapLayer layer, int[] argb) {
        mapLayer.set(layer);
        if (layer == null) {
            map = null;
        } else {
            map = new WritableImage(layer.width(), layer.height());
            map.getPixelWriter().setPixels(0, 0, layer.width(), layer.height(), PixelFormat.getIntArgbInstance(),
                    argb, 0, layer.width());
        }
        repaint();
    }

    // Painting

    /** Asks for a repaint; many requests within one pulse paint once. */
    public void repaint() {
        if (!repaintQueued) {
            repaintQueued = true;
            Platform.runLater(() -> {
                repaintQueued = false;
                paint();
            });
        }
    }

    @Override
    protected void layoutChildren() {
        double w = getWidth();
        double h = getHeight();
        if (canvas.getWidth() != w || canvas.getHeight() != h) {
            canvas.setWidth(w);
            canvas.setHeight(h);
            if (fitPending) {
                fit();
            }
            repaint();
        }
    }

    private void paint() {
        GraphicsContext g = canvas.getGraphicsContext2D();
        double w = canvas.getWidth();
        double h = canvas.getHeight();
        g.setGlobalAlpha(1);
        g.setFill(Color.web("#2b2b2b"));
        g.fillRect(0, 0, w, h);
        if (image == null) {
            g.setFill(Color.web("#c8c8c8"));
            g.setTextAlign(TextAlignment.CENTER);
            g.setTextBaseline(VPos.CENTER);
            g.setFont(javafx.scene.text.Font.font(16));
            g.fillText("Open an image (Ctrl+O) or a folder (Ctrl+Shift+O), or drop one here.\n"
                    + "Seglight labels every pixel with the classes in the table on the right.", w / 2, h / 2);
            return;
        }
        if (fitPending && w > 0) {
            fitPending = false;
        }
        double s = zoom.get();
        double iw = image.getWidth();
        double ih = image.getHeight();
        // The visible part of the image, in image pixels.
        double x0 = Math.max(0, Math.floor(-tx / s));
        double y0 = Math.max(0, Math.floor(-ty / s));
        double x1 = Math.min(iw, Math.ceil((w - tx) / s));
        double y1 = Math.min(ih, Math.ceil((h - ty) / s));
        if (x1 <= x0 || y1 <= y0) {
            return;
        }
        double dx = tx + x0 * s;
        double dy = ty + y0 * s;
        double dw = (x1 - x0) * s;
        double dh = (y1 - y0) * s;
        g.setImageSmoothing(s < 1);
        g.setGlobalAlpha(overlay.imageOpacityProperty().get());
        g.drawImage(image, x0, y0, x1 - x0, y1 - y0, dx, dy, dw, dh);
        if (mask != null && overlay.showMaskProperty().get()) {
            g.setImageSmoothing(false);
            g.setGlobalAlpha(overlay.maskOpacityProperty().get());
            g.drawImage(mask, x0, y0, x1 - x0, y1 - y0, dx, dy, dw, dh);
        }
        MapLayer layer = mapLayer.get();
        if (map != null && layer != null) {
            double c = layer.scale();
            double mx1 = Math.min(x1 / c, layer.width());
            double my1 = Math.min(y1 / c, layer.height());
            g.setImageSmoothing(true);
            g.setGlobalAlpha(overlay.mapOpacityProperty().get());
            // Clip to the image: the last grid cells may reach past its edge.
            g.save();
            g.beginPath();
            g.rect(dx, dy, dw, dh);
            g.clip();
            g.drawImage(map, x0 / c, y0 / c, mx1 - x0 / c, my1 - y0 / c, dx, dy, (mx1 * c - x0) * s,
                    (my1 * c - y0) * s);
            g.restore();
        }
        g.setGlobalAlpha(1);
        paintCursor(g, s);
    }

    private void paintCursor(GraphicsContext g, double s) {
        int[] px = inspector.selectedPixelProperty().get();
        if (px != null && session.resultProperty().get() != null) {
            double[] p = toView(Math.floor(px[0] / 32.0) * 32, Math.floor(px[1] / 32.0) * 32);
            g.setStroke(Color.WHITE);
            g.setLineWidth(2);
            g.strokeRect(p[0], p[1], 32 * s, 32 * s);
            g.setStroke(Color.BLACK);
            g.setLineWidth(1);
            g.strokeRect(p[0] - 1.5, p[1] - 1.5, 32 * s + 3, 32 * s + 3);
        }
        var poly = corrections.polygon();
        if (!poly.isEmpty()) {
            g.setStroke(Color.YELLOW);
            g.setLineWidth(1.5);
            g.beginPath();
            double[] first = toView(poly.getFirst()[0], poly.getFirst()[1]);
            g.moveTo(first[0], first[1]);
            for (double[] q : poly) {
                double[] v = toView(q[0], q[1]);
                g.lineTo(v[0], v[1]);
            }
            if (!Double.isNaN(mouseX)) {
                g.lineTo(mouseX, mouseY);
            }
            g.stroke();
        }
        Tool tool = corrections.toolProperty().get();
        if (!Double.isNaN(mouseX) && (tool == Tool.BRUSH || tool == Tool.ERASER)) {
            double r = corrections.brushRadiusProperty().get() * s;
            g.setStroke(Color.WHITE);
            g.setLineWidth(1.5);
            g.strokeOval(mouseX - r, mouseY - r, 2 * r, 2 * r);
            g.setStroke(Color.BLACK);
            g.setLineWidth(0.75);
            g.strokeOval(mouseX - r - 1.5, mouseY - r - 1.5, 2 * r + 3, 2 * r + 3);
        }
    }

    /** The map the viewer shows (for the colour bar), or null. */
    public ReadOnlyObjectProperty<MapLayer> mapLayerProperty() {
        return mapLayer.getReadOnlyProperty();
    }

    /** Class and scores under the mouse. */
    public ReadOnlyStringProperty readoutProperty() {
        return readout.getReadOnlyProperty();
    }

    public ReadOnlyDoubleProperty zoomProperty() {
        return zoom.getReadOnlyProperty();
    }

    /** Stops the render thread. */
    public void dispose() {
        renderer.shutdownNow();
    }
}
