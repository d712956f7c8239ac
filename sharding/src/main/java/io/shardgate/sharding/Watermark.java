package io.shardgate.sharding;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * How far a node has applied its sources: for each input stream (an informer of one kind and namespace, a
 * manifest directory) the position up to which every change of that stream has been applied. Positions mean
 * the same on every node reading the same source (an API server's resourceVersion, a file modification time),
 * so two nodes' watermarks say whether one has seen everything the other has: the writer moves a shard to a
 * node only once its watermark {@link #covers} the owner's. Comparing stream by stream is exact where a single
 * number is not: a node may have applied a newer Ingress event while an older Secret event is still queued.
 * Immutable.
 */
public final class Watermark {
    /** Nothing applied yet. */
    public static final Watermark NONE = new Watermark(new TreeMap<>());

    /** At most this many streams: a node reads a handful of kinds per watched namespace, or one directory. */
    static final int MAX_STREAMS = 1_000;
    private static final Pattern STREAM = Pattern.compile("[A-Za-z0-9_.@*/-]{1,120}");

    private final SortedMap<String, Long> positions;

    private Watermark(SortedMap<String, Long> positions) {
        this.positions = positions;
    }

    /** This watermark with {@code stream} at {@code position}, or at its position here if that is further. */
    public Watermark advance(String stream, long position) {
        if (position <= positionOf(stream)) return this;
        TreeMap<String, Long> next = new TreeMap<>(positions);
        next.put(stream, position);
        return of(next);
    }

    /** How far {@code stream} has been applied (0: nothing of it). */
    public long positionOf(String stream) {
        return positions.getOrDefault(stream, 0L);
    }

    /** True when every stream is applied here at least as far as in {@code other}: this node has seen all it has. */
    public boolean covers(Watermark other) {
        for (Map.Entry<String, Long> e : other.positions.entrySet()) {
            if (positionOf(e.getKey()) < e.getValue()) return false;
        }
        return true;
    }

    /** Covers {@code other} and has seen something it has not. */
    public boolean isAheadOf(Watermark other) {
        return covers(other) && !other.covers(this);
    }

    /** {@code stream=position} pairs joined by {@code ,} in stream order ({@code -} for none); {@link #parse} reads it. */
    public String text() {
        if (positions.isEmpty()) return "-";
        StringBuilder out = new StringBuilder();
        positions.forEach((stream, position) -> out.append(out.isEmpty() ? "" : ",").append(stream).append('=').append(position));
        return out.toString();
    }

    /** Reads {@link #text}; throws IllegalArgumentException for anything else. */
    public static Watermark parse(String text) {
        if (text.equals("-")) return NONE;
        String[] pairs = text.split(",", -1);
        if (pairs.length > MAX_STREAMS) throw new IllegalArgumentException("more than " + MAX_STREAMS + " streams");
        TreeMap<String, Long> positions = new TreeMap<>();
        for (String pair : pairs) {
            int eq = pair.lastIndexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("not stream=position: " + pair);
            if (positions.put(pair.substring(0, eq), Long.parseLong(pair.substring(eq + 1))) != null) {
                throw new IllegalArgumentException("stream twice: " + pair);
            }
        }
        return of(positions);
    }

    /** The watermark at these positions, by stream (a copy); throws IllegalArgumentException for a bad name or position. */
    public static Watermark of(Map<String, Long> positions) {
        if (positions.size() > MAX_STREAMS) throw new IllegalArgumentException("more than " + MAX_STREAMS + " streams");
        TreeMap<String, Long> copy = new TreeMap<>();
        positions.forEach((stream, position) -> {
            if (!STREAM.matcher(stream).matches()) throw new IllegalArgumentException("not a stream name: " + stream);
            if (position <= 0) throw new IllegalArgumentException("not a position: " + stream + "=" + position);
            copy.put(stream, position);
        });
        return copy.isEmpty() ? NONE : new Watermark(copy);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Watermark w && w.positions.equals(positions);
    }

    @Override
    public int hashCode() {
        return positions.hashCode();
    }

    @Override
    public String toString() {
        return text();
    }
}
