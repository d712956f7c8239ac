package io.shardgate.sharding;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Domain to shard: a stable 64-bit hash of the lower-cased host, then jump consistent hash onto the
 * gateway's shard count. Raising the shard count from S to S+1 moves only about 1/(S+1) of the domains,
 * all of them to the new shard. Every node, on every JVM, computes the same shard for a host.
 * The exact functions are written down in docs/sharding.md; changing them moves domains between shards.
 */
public final class DomainSharding {
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private DomainSharding() {}

    /** The shard of a host among {@code shards} shards. */
    public static int shardOf(String host, int shards) {
        if (shards < 1) throw new IllegalArgumentException("shard count must be at least 1, was " + shards);
        return jumpHash(hostHash(host), shards);
    }

    /** FNV-1a 64 over the UTF-8 bytes of the lower-cased host, finished with MurmurHash3's fmix64. */
    public static long hostHash(String host) {
        return stableHash(host.toLowerCase(Locale.ROOT));
    }

    /** FNV-1a 64 over the UTF-8 bytes of the text as given (case-sensitive), finished with fmix64. */
    public static long stableHash(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        long h = FNV_OFFSET;
        for (byte b : bytes) {
            h ^= b & 0xff;
            h *= FNV_PRIME;
        }
        return mix64(h);
    }

    /** Jump consistent hash (Lamping and Veach, 2014). */
    public static int jumpHash(long key, int buckets) {
        long b = -1;
        long j = 0;
        while (j < buckets) {
            b = j;
            key = key * 2862933555777941757L + 1;
            j = (long) ((b + 1) * ((double) (1L << 31) / (double) ((key >>> 33) + 1)));
        }
        return (int) b;
    }

    /** MurmurHash3's fmix64 finaliser: a bijection on 64 bits in which every input bit affects every output bit. */
    public static long mix64(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }
}
