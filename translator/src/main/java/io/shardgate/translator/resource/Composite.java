package io.shardgate.translator.resource;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.UnsafeByteOperations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.TreeMap;

/**
 * A resource made of one fixed header message plus a repeated message field whose elements are cached
 * {@link Part}s: the HTTPS listener (filter_chains) and the plain-HTTP route configuration
 * (virtual_hosts). A protobuf message is the concatenation of its fields, so the composite's bytes are
 * the header's bytes followed by each part as a length-delimited field, in key order.
 *
 * <p>Changing one part is O(log n) and its content hash is kept up to date in O(1) (a sum of mixed
 * (key, part hash) pairs plus the header hash: order-independent, so no pass over the other parts).
 * The bytes are concatenated only when {@link #resource()} is asked for after a change, once per
 * version, however many clients it is sent to. Not thread-safe: one writer owns it.
 */
public final class Composite {
    private final ResourceType type;
    private final String name;
    private final ByteString header;
    private final int partFieldNumber;
    private final TreeMap<String, Part> parts = new TreeMap<>();
    private long partsHash;
    private XdsResource materialised;

    public Composite(ResourceType type, String name, ByteString header, int partFieldNumber) {
        this.type = type;
        this.name = name;
        this.header = header;
        this.partFieldNumber = partFieldNumber;
    }

    /** Adds or replaces the part with this key; returns true if the composite changed. */
    public boolean put(Part part) {
        Part old = parts.put(part.key(), part);
        if (old != null) {
            if (old.hash() == part.hash() && old.body().equals(part.body())) return false;
            partsHash -= entryHash(old);
        }
        partsHash += entryHash(part);
        materialised = null;
        return true;
    }

    /** Removes the part with this key; returns true if there was one. */
    public boolean remove(String key) {
        Part old = parts.remove(key);
        if (old == null) return false;
        partsHash -= entryHash(old);
        materialised = null;
        return true;
    }

    public boolean isEmpty() {
        return parts.isEmpty();
    }

    public int size() {
        return parts.size();
    }

    public String name() {
        return name;
    }

    /** The current content hash, without assembling bytes. */
    public long hash() {
        return ContentHash.mix(ContentHash.of(header), partsHash);
    }

    /** The assembled resource; bytes are concatenated at most once per change. */
    public XdsResource resource() {
        if (materialised == null) materialised = new XdsResource(type, name, assemble(), hash());
        return materialised;
    }

    private ByteString assemble() {
        int size = header.size();
        for (Part p : parts.values()) {
            size += CodedOutputStream.computeBytesSize(partFieldNumber, p.body());
        }
        byte[] out = new byte[size];
        CodedOutputStream cos = CodedOutputStream.newInstance(out);
        try {
            cos.writeRawBytes(header);
            for (Part p : parts.values()) {
                cos.writeBytes(partFieldNumber, p.body());
            }
            cos.checkNoSpaceLeft();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return UnsafeByteOperations.unsafeWrap(out); // out is never written again
    }

    private static long entryHash(Part p) {
        return ContentHash.mix(ContentHash.of(p.key().getBytes(StandardCharsets.UTF_8)), p.hash());
    }
}
