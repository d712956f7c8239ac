package io.shardgate.translator.resource;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.UnsafeByteOperations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A resource made of one fixed header message plus a repeated message field whose elements are cached
 * {@link Part}s: the HTTPS listener (filter_chains) and the plain-HTTP route configuration
 * (virtual_hosts). A protobuf message is the concatenation of its fields, so the composite's bytes are
 * the header's bytes followed by each part as a length-delimited field, in key order.
 *
 * <p>Cost of one change, whatever the number of parts n: the content hash is kept in O(1) (a sum of
 * mixed (key, part hash) pairs plus the header hash: order-independent, so no pass over other parts).
 * The parts live in key-ordered buckets of at most {@value #MAX_BUCKET} whose encoded bytes are cached;
 * a change re-encodes one bucket, and {@link #resource()} joins the cached buckets as a balanced rope
 * (pointer work over n / bucket size pieces, no byte copied). Bytes are copied only when the resource is
 * written to a client. Not thread-safe: one writer owns it; the resources it returns are immutable.
 */
public final class Composite {
    static final int MAX_BUCKET = 256;

    private final ResourceType type;
    private final String name;
    private final ByteString header;
    private final long headerHash;
    private final int partFieldNumber;
    /** First key of each bucket → bucket; buckets partition the key space in order. */
    private final TreeMap<String, Bucket> buckets = new TreeMap<>();
    private int size;
    private long partsHash;
    private XdsResource materialised;

    public Composite(ResourceType type, String name, ByteString header, int partFieldNumber) {
        this.type = type;
        this.name = name;
        this.header = header;
        this.headerHash = ContentHash.of(header);
        this.partFieldNumber = partFieldNumber;
    }

    /** Adds or replaces the part with this key; returns true if the composite changed. */
    public boolean put(Part part) {
        Bucket bucket = bucketFor(part.key());
        Part old = bucket.parts.put(part.key(), part);
        if (old != null) {
            if (old.hash() == part.hash() && old.body().equals(part.body())) return false;
            partsHash -= entryHash(old);
        } else {
            size++;
        }
        partsHash += entryHash(part);
        bucket.encoded = null;
        if (bucket.parts.size() > MAX_BUCKET) split(bucket);
        materialised = null;
        return true;
    }

    /** Removes the part with this key; returns true if there was one. */
    public boolean remove(String key) {
        Map.Entry<String, Bucket> entry = buckets.floorEntry(key);
        if (entry == null) return false;
        Bucket bucket = entry.getValue();
        Part old = bucket.parts.remove(key);
        if (old == null) return false;
        size--;
        partsHash -= entryHash(old);
        bucket.encoded = null;
        if (bucket.parts.isEmpty()) {
            buckets.remove(entry.getKey());
        } else if (entry.getKey().equals(key)) {
            buckets.remove(key);
            buckets.put(bucket.parts.firstKey(), bucket);
        }
        materialised = null;
        return true;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public int size() {
        return size;
    }

    public String name() {
        return name;
    }

    /** The current content hash, without assembling bytes. */
    public long hash() {
        return ContentHash.mix(headerHash, partsHash);
    }

    /** The assembled resource, at most once per change. */
    public XdsResource resource() {
        if (materialised == null) {
            List<ByteString> pieces = new ArrayList<>(buckets.size() + 1);
            pieces.add(header);
            for (Bucket b : buckets.values()) pieces.add(b.encoded(partFieldNumber));
            materialised = new XdsResource(type, name, balancedConcat(pieces, 0, pieces.size()), hash());
        }
        return materialised;
    }

    private Bucket bucketFor(String key) {
        Map.Entry<String, Bucket> floor = buckets.floorEntry(key);
        if (floor != null) return floor.getValue();
        // The key sorts before every bucket: it becomes the first key of the first bucket (or of a new one).
        Bucket first = buckets.isEmpty() ? new Bucket() : buckets.pollFirstEntry().getValue();
        buckets.put(key, first);
        return first;
    }

    private void split(Bucket bucket) {
        Bucket upper = new Bucket();
        int keep = bucket.parts.size() / 2;
        var it = bucket.parts.entrySet().iterator();
        for (int i = 0; it.hasNext(); i++) {
            var e = it.next();
            if (i < keep) continue;
            upper.parts.put(e.getKey(), e.getValue());
            it.remove();
        }
        buckets.put(upper.parts.firstKey(), upper);
    }

    /** Joins pieces as a rope of depth log2(pieces), so protobuf never needs to rebalance it. */
    private static ByteString balancedConcat(List<ByteString> pieces, int from, int to) {
        if (to - from == 1) return pieces.get(from);
        if (to == from) return ByteString.EMPTY;
        int mid = (from + to) >>> 1;
        return balancedConcat(pieces, from, mid).concat(balancedConcat(pieces, mid, to));
    }

    private static long entryHash(Part p) {
        return ContentHash.entry(p.key(), p.hash());
    }

    private static final class Bucket {
        final TreeMap<String, Part> parts = new TreeMap<>();
        ByteString encoded;

        ByteString encoded(int fieldNumber) {
            if (encoded == null) {
                int size = 0;
                for (Part p : parts.values()) size += CodedOutputStream.computeBytesSize(fieldNumber, p.body());
                byte[] out = new byte[size];
                CodedOutputStream cos = CodedOutputStream.newInstance(out);
                try {
                    for (Part p : parts.values()) cos.writeBytes(fieldNumber, p.body());
                    cos.checkNoSpaceLeft();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                encoded = UnsafeByteOperations.unsafeWrap(out); // out is never written again
            }
            return encoded;
        }
    }
}
