package io.shardgate.xdsclient;

import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLException;

/**
 * Client TLS contexts, built once per content of their files, as an Envoy builds its xDS cluster's TLS context once
 * and not per connection. Building one costs 50 to 150 ms of CPU: a fleet of clients reconnecting after a node died
 * spent most of a second in it (the chaos harness, 2 cores). The files are read every time (a few kilobytes), so
 * a file rewritten (a rotation, a test's other certificate) gets a context of its own.
 */
final class ClientTlsContexts {
    private static final int KEPT = 16;
    private static final Map<List<Object>, SslContext> BUILT = new LinkedHashMap<>(KEPT, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<List<Object>, SslContext> eldest) {
            return size() > KEPT;
        }
    };

    private ClientTlsContexts() {}

    /** TLS trusting the CA, presenting the client certificate when there is one (null: none, as a stranger would). */
    static SslContext of(XdsClientOptions.ClientTls tls) {
        List<Object> key = new ArrayList<>(List.of(tls));
        for (Path file : new Path[] {tls.certificate(), tls.key(), tls.ca()}) {
            try {
                key.add(file == null ? "-" : java.nio.ByteBuffer.wrap(Files.readAllBytes(file)));
            } catch (IOException unreadable) {
                return build(tls); // fails with the reason
            }
        }
        synchronized (BUILT) {
            SslContext built = BUILT.get(key);
            if (built != null) return built;
        }
        SslContext built = build(tls);
        synchronized (BUILT) {
            BUILT.put(key, built);
        }
        return built;
    }

    private static SslContext build(XdsClientOptions.ClientTls tls) {
        try {
            var context = GrpcSslContexts.forClient().trustManager(tls.ca().toFile());
            if (tls.certificate() != null) context.keyManager(tls.certificate().toFile(), tls.key().toFile());
            return context.build();
        } catch (SSLException e) {
            throw new IllegalArgumentException("cannot use the client certificate " + tls + ": " + e.getMessage(), e);
        }
    }
}
