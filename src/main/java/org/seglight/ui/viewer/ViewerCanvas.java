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
import javafx.geometry.VPos;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
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
import org.seglight.render.MaskRaster;
import org.seglight.ui.corrections.CorrectionsViewModel;
import org.seglight.ui.corrections.Tool;
import org.seglight.ui.images.ImageSession;
import org.seglight.ui.inspector.InspectorViewModel;
import org.seglight.ui.prompts.PromptsViewModel;

/**
 * The one image viewer: a single {@link Canvas} painting, in a fixed order, the image, the mask, the score or
 * attention map and the edit cursor. The image and the mask are drawn from tiles of a multi-resolution
 * {@link TileGrid}: only the tiles in view, at the level the zoom needs, made on demand within a few
 * milliseconds per frame (the next coarser tile stands in meanwhile) and kept in a {@link TileCache} of at least
 * {@link #TILE_BUDGET} bytes, so a 300-megapixel image opens, pans and zooms like a small one and no full-size
 * copy of the image or the mask is made for the screen. Masks scale nearest-neighbour and maps bilinearly, an
 * edit redraws only the tile pixels it changed, and repaints are coalesced into one per pulse.
 */
public final class ViewerCanvas extends Region {

    private static final int SYNC_RENDER_PIXELS = 2_000_000;

    /** The least the tile cache may hold, in bytes; a large screen gets more (enough for two full layers). */
    static final long TILE_BUDGET = 128L << 20;

    /** How long one frame may spend making tiles before it draws what it has and asks for another frame. */
    private static final long TILE_NANOS_PER_FRAME = 12_000_000;

    private record TileKey(boolean mask, int level, int column, int row) {}

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

    private volatile PhotoTiles photo;
    private TileGrid grid;
    private final TileCache<TileKey, WritableImage> tiles = new TileCache<>(TILE_BUDGET,
            t -> 4L * (long) t.getWidth() * (long) t.getHeight());
    private int[] maskLut;
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
    private boolean lastFrameComplete = true;
    private boolean swallowed;
    /** The closed polygon's corner being dragged, or -1. */
    private int dragCorner = -1;
    /** The text field the user typed into last, while it keeps the focus. */
    private Object typedInto;

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
        session.imageProperty().addListener((o, a, b) -> showImage(b));
        corrections.maskRevisionProperty().addListener((o, a, b) -> maskChanged());
        lookRevision.addListener((o, a, b) -> {
            maskLut = null;
            dropMaskTiles();
            refreshMap();
        });
        overlay.imageOpacityProperty().addListener((o, a, b) -> repaint());
        overlay.showMaskProperty().addListener((o, a, b) -> repaint());
        overlay.maskOpacityProperty().addListener((o, a, b) -> repaint());
        overlay.outlinesProperty().addListener((o, a, b) -> dropMaskTiles());
        overlay.mapOpacityProperty().addListener((o, a, b) -> repaint());
        overlay.mapKindProperty().addListener((o, a, b) -> refreshMap());
        overlay.mapClassProperty().addListener((o, a, b) -> refreshMap());
        session.resultProperty().addListener((o, a, b) -> refreshMap());
        inspector.heatMapProperty().addListener((o, a, b) -> refreshMap());
        inspector.selectedPixelProperty().addListener((o, a, b) -> repaint());
        corrections.polygon().addListener((javafx.collections.ListChangeListener<double[]>) c -> repaint());
        corrections.closedPolygon().addListener((javafx.collections.ListChangeListener<double[]>) c -> repaint());
        corrections.toolProperty().addListener((o, a, b) -> repaint());
        corrections.brushRadiusProperty().addListener((o, a, b) -> repaint());

        addEventHandler(ScrollEvent.SCROLL, e -> {
            if (grid != null && e.getDeltaY() != 0) {
                zoomAt(Math.pow(1.0015, e.getDeltaY()), e.getX(), e.getY());
            }
            e.consume();
        });
        sceneProperty().addListener((o, a, b) -> {
            if (b != null) {
                b.addEventFilter(javafx.scene.input.KeyEvent.KEY_TYPED, e -> typedInto =
                        b.getFocusOwner() instanceof javafx.scene.control.TextInputControl t ? t : null);
                b.focusOwnerProperty().addListener((fo, was, now) -> {
                    if (now != typedInto) {
                        typedInto = null;
                    }
                });
            }
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
        if (grid == null || getWidth() <= 0 || getHeight() <= 0) {
            repaint();
            return;
        }
        double s = fitZoom();
        setView(s, (getWidth() - grid.width() * s) / 2, (getHeight() - grid.height() * s) / 2);
    }

    private double fitZoom() {
        return Math.min(getWidth() / grid.width(), getHeight() / grid.height()) * 0.98;
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
        double least = grid == null ? 0.02 : Math.min(0.02, fitZoom() / 2); // a huge image still fits
        double s = Math.max(least, Math.min(64, zoom.get() * factor));
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

    /** Moves the image by (dx, dy) screen pixels, as dragging it does. */
    public void panBy(double dx, double dy) {
        setView(zoom.get(), tx + dx, ty + dy);
    }

    /**
     * Whether the view is final: the last frame drew every tile in view at its level, no frame is pending, and
     * the coarse levels are averaged (the pyramid is built).
     */
    public boolean settled() {
        PhotoTiles p = photo;
        return lastFrameComplete && !repaintQueued && (p == null || p.pyramidReady());
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
        // A click that takes the focus from a text field just typed into (a class name) only leaves the field:
        // it does not paint, so finishing a name with a click on the image never edits the mask by accident. A
        // field that merely has the focus (nothing typed) does not hold the click back.
        boolean leftField = getScene() != null && typedInto != null && getScene().getFocusOwner() == typedInto;
        typedInto = null;
        requestFocus();
        swallowed = false;
        dragX = e.getX();
        dragY = e.getY();
        moved = false;
        Tool tool = corrections.toolProperty().get();
        panning = e.getButton() == MouseButton.MIDDLE || e.getButton() == MouseButton.SECONDARY
                || tool == Tool.INSPECT;
        if (panning || e.getButton() != MouseButton.PRIMARY) {
            return;
        }
        if (leftField && tool != Tool.INSPECT) {
            swallowed = true;
            readout.set("That click left the text field; click again to use the " + tool.label());
            return;
        }
        if (grid == null || !corrections.hasMask()) {
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
                if (editClosedPolygon(e.getX(), e.getY(), p, e.isShiftDown())) {
                    return;
                }
                if (e.getClickCount() >= 2) {
                    corrections.closePolygon();
                } else {
                    corrections.polygonClick(p[0], p[1], 8 / zoom.get());
                }
            }
            case FILL, VOID_FILL -> corrections.fill((int) Math.floor(p[0]), (int) Math.floor(p[1]));
            case SMART_SELECT -> corrections.smartSelect((int) Math.floor(p[0]), (int) Math.floor(p[1]));
            default -> { }
        }
    }

    /** Screen pixels within which a click takes a corner or an edge of the closed polygon. */
    private static final double CORNER_REACH = 7;

    /**
     * A press on the closed polygon's corner (drag it; with Shift, remove it) or edge (a new corner there, dragged);
     * returns whether it was one.
     */
    private boolean editClosedPolygon(double sx, double sy, double[] p, boolean shift) {
        var corners = corrections.closedPolygon();
        if (!corrections.polygon().isEmpty() || corners.isEmpty()) {
            return false;
        }
        int corner = cornerAt(sx, sy);
        if (corner >= 0) {
            if (shift) {
                corrections.removeCorner(corner);
            } else {
                dragCorner = corner;
            }
            return true;
        }
        int edge = edgeAt(sx, sy);
        if (edge >= 0) {
            corrections.insertCorner(edge, p[0], p[1]);
            dragCorner = edge + 1;
            return true;
        }
        return false;
    }

    /** The closed polygon's corner within reach of screen point (sx, sy), or -1. */
    private int cornerAt(double sx, double sy) {
        var corners = corrections.closedPolygon();
        for (int i = 0; i < corners.size(); i++) {
            double[] v = toView(corners.get(i)[0], corners.get(i)[1]);
            if (Math.hypot(v[0] - sx, v[1] - sy) <= CORNER_REACH) {
                return i;
            }
        }
        return -1;
    }

    /** The closed polygon's edge (from corner i to i+1) within reach of screen point (sx, sy), or -1. */
    private int edgeAt(double sx, double sy) {
        var corners = corrections.closedPolygon();
        for (int i = 0; i < corners.size(); i++) {
            double[] a = toView(corners.get(i)[0], corners.get(i)[1]);
            double[] b = toView(corners.get((i + 1) % corners.size())[0], corners.get((i + 1) % corners.size())[1]);
            double dx = b[0] - a[0];
            double dy = b[1] - a[1];
            double len2 = dx * dx + dy * dy;
            double t = len2 == 0 ? 0 : Math.max(0, Math.min(1, ((sx - a[0]) * dx + (sy - a[1]) * dy) / len2));
            if (Math.hypot(a[0] + t * dx - sx, a[1] + t * dy - sy) <= CORNER_REACH - 2) {
                return i;
            }
        }
        return -1;
    }

    private void dragged(MouseEvent e) {
        hover(e.getX(), e.getY());
        if (dragCorner >= 0) {
            double[] p = toImage(e.getX(), e.getY());
            corrections.moveCorner(dragCorner, p[0], p[1]);
            return;
        }
        if (panning) {
            moved |= Math.hypot(e.getX() - dragX, e.getY() - dragY) > 3;
            tx += e.getX() - dragX;
            ty += e.getY() - dragY;
            dragX = e.getX();
            dragY = e.getY();
            repaint();
        } else if (!swallowed && (corrections.toolProperty().get() == Tool.BRUSH
                || corrections.toolProperty().get() == Tool.ERASER)) {
            double[] p = toImage(e.getX(), e.getY());
            corrections.strokeTo(p[0], p[1]);
        }
    }

    private void released(MouseEvent e) {
        if (panning) {
            panning = false;
            if (!moved && e.getButton() == MouseButton.PRIMARY && grid != null) {
                double[] p = toImage(e.getX(), e.getY());
                if (p[0] >= 0 && p[1] >= 0 && p[0] < grid.width() && p[1] < grid.height()) {
                    inspector.selectPixel((int) p[0], (int) p[1]);
                }
            }
            return;
        }
        if (swallowed) {
            swallowed = false;
            return;
        }
        double[] p = toImage(e.getX(), e.getY());
        if (dragCorner >= 0) {
            corrections.moveCorner(dragCorner, p[0], p[1]);
            dragCorner = -1;
            corrections.commitPolygonEdit();
            return;
        }
        corrections.endStroke(p[0], p[1]); // a fast drag's last segment reaches the release point
    }

    private void hover(double x, double y) {
        mouseX = x;
        mouseY = y;
        if (grid != null) {
            double[] p = toImage(x, y);
            String at = pixelReadout.at((int) Math.floor(p[0]), (int) Math.floor(p[1]));
            if (corrections.toolProperty().get() == Tool.POLYGON && corrections.polygon().isEmpty()
                    && !corrections.closedPolygon().isEmpty() && dragCorner < 0) {
                if (cornerAt(x, y) >= 0) {
                    at = "Drag to move this corner; Shift+click removes it · " + at;
                } else if (edgeAt(x, y) >= 0) {
                    at = "Drag to add a corner here · " + at;
                }
            }
            readout.set(at);
        }
        if (corrections.toolProperty().get() != Tool.INSPECT) {
            repaint();
        }
    }

    // Layers

    /** A new image: new tiles, the pyramid of a large one built off the FX thread. */
    private void showImage(java.awt.image.BufferedImage b) {
        tiles.clear();
        map = null;
        if (b == null) {
            photo = null;
            grid = null;
        } else {
            grid = new TileGrid(b.getWidth(), b.getHeight());
            PhotoTiles tilesOfB = new PhotoTiles(b, grid);
            photo = tilesOfB;
            if ((long) b.getWidth() * b.getHeight() <= SYNC_RENDER_PIXELS) {
                tilesOfB.buildPyramid(() -> false);
            } else {
                renderer.execute(() -> {
                    tilesOfB.buildPyramid(() -> photo != tilesOfB);
                    Platform.runLater(() -> {
                        if (photo == tilesOfB && tilesOfB.pyramidReady()) {
                            // the coarse tiles made meanwhile sampled the image: average them now
                            tiles.removeIf(k -> !k.mask() && k.level() >= 2);
                            repaint();
                        }
                    });
                });
            }
        }
        fitPending = true;
        fit();
    }

    /** Whether the mask under correction is the one for the image on screen. */
    private boolean maskShown() {
        int[] size = corrections.maskSize();
        return grid != null && size != null && size[0] == grid.width() && size[1] == grid.height();
    }

    private int[] maskLut() {
        if (maskLut == null) {
            maskLut = MaskRaster.lut(prompts.colors(), prompts.visible());
        }
        return maskLut;
    }

    private void dropMaskTiles() {
        tiles.removeIf(TileKey::mask);
        repaint();
    }

    /** An edit redraws the tile pixels it changed; a new mask (or one mostly changed) makes new tiles. */
    private void maskChanged() {
        org.seglight.mask.Region d = corrections.takeDirty();
        if (!maskShown() || d == null || 4 * d.area() >= (long) grid.width() * grid.height()) {
            dropMaskTiles();
            return;
        }
        int[] lut = maskLut();
        for (var e : tiles.entries()) {
            TileKey k = e.getKey();
            if (!k.mask()) {
                continue;
            }
            MaskTiles.Patch p = MaskTiles.patch(grid, corrections::sampleMask, lut, k.level(), k.column(), k.row(),
                    d, overlay.outlinesProperty().get());
            if (p != null) {
                e.getValue().getPixelWriter().setPixels(p.x(), p.y(), p.width(), p.height(),
                        PixelFormat.getIntArgbInstance(), p.argb(), 0, p.width());
            }
        }
        repaint();
    }

    /** The cached tile, or a new one while the frame has time left (the single coarsest tile always). */
    private WritableImage tile(TileKey key, long deadline) {
        WritableImage t = tiles.get(key);
        if (t != null || System.nanoTime() > deadline && key.level() < grid.levels() - 1) {
            return t;
        }
        int w = grid.tileWidth(key.level(), key.column());
        int h = grid.tileHeight(key.level(), key.row());
        int[] argb = key.mask()
                ? MaskTiles.tile(grid, corrections::sampleMask, maskLut(), key.level(), key.column(), key.row(),
                        overlay.outlinesProperty().get())
                : photo.tile(key.level(), key.column(), key.row());
        t = new WritableImage(w, h);
        t.getPixelWriter().setPixels(0, 0, w, h,
                key.mask() ? PixelFormat.getIntArgbInstance() : PixelFormat.getIntArgbPreInstance(), argb, 0, w);
        tiles.put(key, t);
        return t;
    }

    /**
     * Draws the visible image rectangle [x0, x1) x [y0, y1) of one layer from its tiles at a level; a tile not
     * made yet is drawn from the nearest coarser one in the cache. Returns whether every tile was there.
     */
    private boolean drawLayer(GraphicsContext g, boolean mask, int level, double x0, double y0, double x1,
            double y1, long deadline) {
        long span = (long) grid.size() << level; // image pixels per tile
        int c0 = (int) (x0 / span);
        int c1 = Math.min(grid.columns(level), (int) Math.ceil(x1 / span));
        int r0 = (int) (y0 / span);
        int r1 = Math.min(grid.rows(level), (int) Math.ceil(y1 / span));
        boolean complete = true;
        for (int r = r0; r < r1; r++) {
            for (int c = c0; c < c1; c++) {
                double ax0 = Math.max(x0, c * span);
                double ax1 = Math.min(x1, (c + 1) * span);
                double ay0 = Math.max(y0, r * span);
                double ay1 = Math.min(y1, (r + 1) * span);
                WritableImage t = tile(new TileKey(mask, level, c, r), deadline);
                if (t != null) {
                    drawPart(g, t, level, c, r, ax0, ay0, ax1, ay1);
                    continue;
                }
                complete = false;
                for (int up = level + 1; up < grid.levels(); up++) {
                    int shift = up - level;
                    WritableImage coarse = tiles.get(new TileKey(mask, up, c >> shift, r >> shift));
                    if (coarse != null) {
                        drawPart(g, coarse, up, c >> shift, r >> shift, ax0, ay0, ax1, ay1);
                        break;
                    }
                }
            }
        }
        return complete;
    }

    /** Draws image rectangle [ax0, ax1) x [ay0, ay1) from the tile that holds it, edges on whole screen pixels. */
    private void drawPart(GraphicsContext g, WritableImage t, int level, int column, int row, double ax0,
            double ay0, double ax1, double ay1) {
        double scale = 1L << level;
        double ox = (double) column * grid.size() * scale;
        double oy = (double) row * grid.size() * scale;
        double s = zoom.get();
        double dx0 = Math.round(tx + ax0 * s);
        double dy0 = Math.round(ty + ay0 * s);
        double dx1 = Math.round(tx + ax1 * s);
        double dy1 = Math.round(ty + ay1 * s);
        if (dx1 <= dx0 || dy1 <= dy0) {
            return;
        }
        g.drawImage(t, (ax0 - ox) / scale, (ay0 - oy) / scale, (ax1 - ax0) / scale, (ay1 - ay0) / scale, dx0, dy0,
                dx1 - dx0, dy1 - dy0);
    }

    /** The tiles the viewer holds now, in bytes (for the memory figures). */
    public long tileBytes() {
        return tiles.bytes();
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
            // two layers of tiles at up to 2x2 tile pixels per screen pixel, with room to pan
            tiles.budget(Math.max(TILE_BUDGET, (long) (w * h) * 48));
            if (fitPending) {
                fit();
            }
            repaint();
        }
    }

    private void paint() {
        lastFrameComplete = true;
        GraphicsContext g = canvas.getGraphicsContext2D();
        double w = canvas.getWidth();
        double h = canvas.getHeight();
        g.setGlobalAlpha(1);
        g.setFill(Color.web("#2b2b2b"));
        g.fillRect(0, 0, w, h);
        if (grid == null) {
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
        double iw = grid.width();
        double ih = grid.height();
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
        int level = grid.levelFor(s);
        long deadline = System.nanoTime() + TILE_NANOS_PER_FRAME;
        g.setImageSmoothing(s < 1);
        g.setGlobalAlpha(overlay.imageOpacityProperty().get());
        boolean complete = drawLayer(g, false, level, x0, y0, x1, y1, deadline);
        if (overlay.showMaskProperty().get() && maskShown()) {
            g.setImageSmoothing(false);
            // Outlines are thin: they stay clearly visible even at the low opacity a filled mask is read at.
            double opacity = overlay.maskOpacityProperty().get();
            g.setGlobalAlpha(overlay.outlinesProperty().get() ? Math.max(0.85, opacity) : opacity);
            complete &= drawLayer(g, true, level, x0, y0, x1, y1, deadline);
        }
        lastFrameComplete = complete;
        if (!complete) {
            repaint(); // the tiles not made this frame come in the next ones
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
        // The charted pixel's square belongs to inspecting: drawn with the Inspect tool or the attention map.
        boolean inspecting = corrections.toolProperty().get() == Tool.INSPECT
                || overlay.mapKindProperty().get() == MapKind.ATTENTION;
        if (px != null && inspecting && session.resultProperty().get() != null) {
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
        var closed = corrections.closedPolygon();
        if (tool == Tool.POLYGON && poly.isEmpty() && !closed.isEmpty()) {
            // The polygon closed last, still editable: its outline and a handle on each corner.
            g.setLineWidth(1.5);
            g.setStroke(Color.CYAN);
            g.beginPath();
            for (int i = 0; i <= closed.size(); i++) {
                double[] v = toView(closed.get(i % closed.size())[0], closed.get(i % closed.size())[1]);
                if (i == 0) {
                    g.moveTo(v[0], v[1]);
                } else {
                    g.lineTo(v[0], v[1]);
                }
            }
            g.stroke();
            int hot = Double.isNaN(mouseX) ? -1 : dragCorner >= 0 ? dragCorner : cornerAt(mouseX, mouseY);
            for (int i = 0; i < closed.size(); i++) {
                double[] v = toView(closed.get(i)[0], closed.get(i)[1]);
                double r = i == hot ? 5 : 3.5;
                g.setFill(i == hot ? Color.YELLOW : Color.WHITE);
                g.fillRect(v[0] - r, v[1] - r, 2 * r, 2 * r);
                g.setStroke(Color.BLACK);
                g.setLineWidth(1);
                g.strokeRect(v[0] - r, v[1] - r, 2 * r, 2 * r);
            }
        }
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
