package org.seglight.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The named tensors of one network, in creation order, under the parameter names of docs/NETWORK.md §5.1
 * (PyTorch style: {@code units.0.c2f.q.weight}, {@code encoder.features.3.dw.bn.running_var}).
 *
 * <p>Owning the tensors by name, rather than through DJL's block tree, keeps the names stable for the
 * safetensors export, lets the optimiser pick learning rates per parameter role, and makes the check
 * "every trainable tensor got a gradient" a walk over one map.
 */
public final class ParameterSet implements AutoCloseable {

    /** What a tensor is, for initialisation, the optimiser and BatchNorm statistics. */
    public enum Role {
        WEIGHT, BIAS, LN_WEIGHT, LN_BIAS, BN_WEIGHT, BN_BIAS, RUNNING_MEAN, RUNNING_VAR;

        public boolean trainable() {
            return this != RUNNING_MEAN && this != RUNNING_VAR;
        }
    }

    /** Builds a tensor of a given shape on a manager. */
    @FunctionalInterface
    public interface Initializer {
        NDArray create(NDManager manager, Shape shape);
    }

    /** One named tensor. */
    public record Entry(String name, Role role, NDArray array) {
        public boolean trainable() {
            return role.trainable();
        }
    }

    private final NDManager manager;
    private final Map<String, Entry> entries = new LinkedHashMap<>();

    public ParameterSet(NDManager manager) {
        this.manager = manager;
    }

    public NDManager manager() {
        return manager;
    }

    /** A view that prefixes names with {@code prefix.}. */
    public Scope scope(String prefix) {
        return new Scope(this, prefix);
    }

    NDArray create(String name, Role role, Shape shape, Initializer init) {
        if (entries.containsKey(name)) {
            throw new IllegalStateException("Duplicate parameter " + name);
        }
        NDArray array = init.create(manager, shape).toType(DataType.FLOAT32, false);
        if (!array.getShape().equals(shape)) {
            throw new IllegalStateException(name + ": initialiser gave " + array.getShape() + ", wanted " + shape);
        }
        array.setName(name);
        entries.put(name, new Entry(name, role, array));
        return array;
    }

    public Map<String, Entry> entries() {
        return Collections.unmodifiableMap(entries);
    }

    public NDArray get(String name) {
        Entry e = entries.get(name);
        if (e == null) {
            throw new IllegalArgumentException("No parameter named " + name);
        }
        return e.array();
    }

    /** Trainable scalar count (BatchNorm running statistics excluded, as docs/NETWORK.md §5 counts). */
    public long trainableCount(String prefix) {
        return entries.values().stream()
                .filter(Entry::trainable)
                .filter(e -> e.name().startsWith(prefix))
                .mapToLong(e -> e.array().getShape().size())
                .sum();
    }

    /**
     * Copies values into the named tensor in place.
     *
     * @throws IllegalArgumentException when the name is unknown or the shape differs
     */
    public void assign(String name, NDArray value) {
        NDArray target = get(name);
        if (!target.getShape().equals(value.getShape())) {
            throw new IllegalArgumentException("Parameter " + name + " has shape " + target.getShape()
                    + " but the value has shape " + value.getShape());
        }
        target.set(value.toType(DataType.FLOAT32, false).toFloatArray());
    }

    /** Turns gradient tracking on or off for every trainable tensor. */
    public void requireGradients(boolean on) {
        requireGradients(on, name -> true);
    }

    /** Turns gradient tracking on or off for the trainable tensors {@code which} accepts by name. */
    public void requireGradients(boolean on, java.util.function.Predicate<String> which) {
        for (Entry e : entries.values()) {
            if (e.trainable() && which.test(e.name())) {
                e.array().setRequiresGradient(on);
            }
        }
    }

    @Override
    public void close() {
        manager.close();
    }

    /** Names tensors relative to a prefix and creates them with the initialisers of docs/NETWORK.md §3.6. */
    public record Scope(ParameterSet set, String prefix) {

        public Scope child(String name) {
            return new Scope(set, prefix.isEmpty() ? name : prefix + "." + name);
        }

        public Scope child(int index) {
            return child(Integer.toString(index));
        }

        public NDArray create(String name, Role role, Shape shape, Initializer init) {
            return set.create(prefix.isEmpty() ? name : prefix + "." + name, role, shape, init);
        }

        public NDArray weight(Shape shape, Initializer init) {
            return create("weight", Role.WEIGHT, shape, init);
        }

        public NDArray zeroBias(long n) {
            return create("bias", Role.BIAS, new Shape(n), Initializers.ZEROS);
        }
    }
}
