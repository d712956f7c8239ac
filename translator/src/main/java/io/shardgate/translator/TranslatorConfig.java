package io.shardgate.translator;

import java.time.Clock;
import java.time.Duration;

/**
 * Settings that shape the Envoy output. Every node of a cluster must run with the same values, or
 * their outputs (and content-hash versions) differ.
 *
 * @param httpPort           port of the plain-HTTP listener
 * @param httpsPort          port of the HTTPS listener
 * @param connectTimeout     upstream cluster connect timeout
 * @param defaultRouteTimeout route timeout when no proxy timeout annotation says otherwise
 * @param clock              used only to reject expired certificates
 */
public record TranslatorConfig(
        int httpPort, int httpsPort, Duration connectTimeout, Duration defaultRouteTimeout, Clock clock) {

    public static TranslatorConfig defaults() {
        return new TranslatorConfig(8080, 8443, Duration.ofSeconds(5), Duration.ofSeconds(60), Clock.systemUTC());
    }
}
