package io.shardgate.node.build;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.Version;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The node runs on Netty and Jackson versions at or above the security floors recorded in docs/decisions.md
 * ("Netty and Jackson above their advisories"). Vert.x 5.0.7 and fabric8 7.8.0 bring older ones; the root pom
 * imports newer BOMs first. This fails if a dependency change lets an older version back onto the classpath.
 */
class DependencyFloorsTest {
    static final int[] NETTY_FLOOR = {4, 2, 16};
    static final int[] JACKSON_FLOOR = {2, 18, 8};

    @Test
    void everyNettyModuleIsAtOrAboveTheFloor() {
        Map<String, io.netty.util.Version> modules = io.netty.util.Version.identify();
        assertThat(modules).as("Netty modules on the classpath").containsKeys("netty-codec-http2", "netty-handler");
        modules.forEach((artifact, version) -> assertThat(atLeast(version.artifactVersion(), NETTY_FLOOR))
                .as("%s %s must be at least %d.%d.%d", artifact, version.artifactVersion(), NETTY_FLOOR[0], NETTY_FLOOR[1],
                        NETTY_FLOOR[2])
                .isTrue());
    }

    @Test
    void jacksonCoreAndDatabindAreAtOrAboveTheFloor() {
        for (Version version : new Version[] {com.fasterxml.jackson.core.json.PackageVersion.VERSION,
                com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION}) {
            String numbers = version.getMajorVersion() + "." + version.getMinorVersion() + "." + version.getPatchLevel();
            assertThat(atLeast(numbers, JACKSON_FLOOR)).as("%s %s must be at least 2.18.8", version.getArtifactId(), version)
                    .isTrue();
        }
    }

    /** "4.2.18.Final" against {4, 2, 16}. */
    static boolean atLeast(String version, int[] floor) {
        String[] parts = version.split("[.-]");
        for (int i = 0; i < floor.length; i++) {
            int n = Integer.parseInt(parts[i]);
            if (n != floor[i]) return n > floor[i];
        }
        return true;
    }
}
