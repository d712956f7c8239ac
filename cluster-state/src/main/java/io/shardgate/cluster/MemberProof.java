package io.shardgate.cluster;

import java.util.Optional;

/**
 * A member's proof that it holds the {@link ClusterKey}: the HMAC of its member id (Hazelcast's UUID, unique in
 * the cluster and new after every merge) and the ADS address it serves on, under the cluster's name. Copying
 * another member's proof admits nobody else: it names that member's id, and the address other nodes relay to
 * is the one inside the proof.
 *
 * <p>Text form, as stored in the cluster's map of proofs under the member id: {@code adsAddress\nsignature}.
 */
record MemberProof(String adsAddress, String signature) {
    /** An ADS address is a host:port; anything longer is not one. */
    private static final int MAX_ADDRESS = 300;

    static MemberProof sign(ClusterKey key, String clusterName, String memberId, String adsAddress) {
        if (adsAddress.isEmpty() || adsAddress.length() > MAX_ADDRESS || adsAddress.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("not an ADS address: " + adsAddress);
        }
        return new MemberProof(adsAddress, key.sign(message(clusterName, memberId, adsAddress)));
    }

    /** The ADS address {@code text} proves for {@code memberId}, if it does. */
    static Optional<String> verify(ClusterKey key, String clusterName, String memberId, Object text) {
        if (!(text instanceof String s) || s.length() > 2 * MAX_ADDRESS) return Optional.empty();
        int newline = s.indexOf('\n');
        if (newline <= 0) return Optional.empty();
        String address = s.substring(0, newline);
        return key.verifies(message(clusterName, memberId, address), s.substring(newline + 1))
                ? Optional.of(address) : Optional.empty();
    }

    String text() {
        return adsAddress + "\n" + signature;
    }

    private static String message(String clusterName, String memberId, String adsAddress) {
        return "shardgate member v1\n" + clusterName + "\n" + memberId + "\n" + adsAddress;
    }
}
