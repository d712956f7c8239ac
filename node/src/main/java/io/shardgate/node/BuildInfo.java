package io.shardgate.node;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** What this build is: its version (from the Maven project), for {@code --version} and {@code shardgate_build_info}. */
public final class BuildInfo {
    private static final String VERSION = load().getProperty("version", "unknown");

    private BuildInfo() {}

    public static String version() {
        return VERSION;
    }

    public static String javaVersion() {
        return System.getProperty("java.version");
    }

    private static Properties load() {
        Properties properties = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("/shardgate-build.properties")) {
            if (in != null) properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }
}
