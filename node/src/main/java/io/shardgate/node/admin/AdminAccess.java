package io.shardgate.node.admin;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.function.Predicate;

/**
 * Who may read {@code /debug}: every tenant's hostnames, Secret names and connected Envoys are there, so by
 * default only a process on the node's own machine (a loopback peer: {@code kubectl port-forward}, {@code kubectl
 * exec}), or whoever presents the admin token ({@code Authorization: Bearer <token>}, --admin-token-file).
 * /metrics, /healthz and /readyz stay open for probes and scraping.
 */
public final class AdminAccess {
    private static final String BEARER = "Bearer ";

    private final byte[] token;
    private final Predicate<String> trustedPeer;

    private AdminAccess(byte[] token, Predicate<String> trustedPeer) {
        this.token = token;
        this.trustedPeer = trustedPeer;
    }

    /** Loopback peers, and the token when one is given (null: none). */
    public static AdminAccess loopbackOr(String token) {
        return new AdminAccess(bytesOf(token), AdminAccess::isLoopback);
    }

    /** Only the token: no peer is trusted for its address (tests drive the token path through loopback with it). */
    static AdminAccess tokenOnly(String token) {
        return new AdminAccess(bytesOf(token), peer -> false);
    }

    public boolean allows(String peerAddress, String authorization) {
        if (peerAddress != null && trustedPeer.test(peerAddress)) return true;
        if (token == null || authorization == null || !authorization.startsWith(BEARER)) return false;
        byte[] presented = authorization.substring(BEARER.length()).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(token, presented); // constant time for equal lengths
    }

    static boolean isLoopback(String address) {
        try {
            // A literal from the connection, never a name: no DNS lookup happens.
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static byte[] bytesOf(String token) {
        return token == null ? null : token.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return token == null ? "loopback only" : "loopback or token";
    }
}
