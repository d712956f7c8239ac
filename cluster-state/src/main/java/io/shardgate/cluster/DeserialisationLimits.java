package io.shardgate.cluster;

import com.hazelcast.config.ClassFilter;
import com.hazelcast.config.JavaSerializationFilterConfig;
import java.io.ObjectInputFilter;

/**
 * What a node agrees to deserialise from the cluster channel, where anyone who reaches the member port can
 * store or send objects. Shardgate itself stores only strings (Hazelcast's own serialiser, no Java
 * serialisation). Hazelcast still uses Java serialisation for one thing of its own: the exception a remote
 * operation failed with (its retry logic needs the exception's class). So Java deserialisation admits only
 * Hazelcast's classes and the JDK classes an exception is made of; every other class, in particular any
 * class with a readObject of its own on the node's classpath, is refused before it is loaded.
 *
 * <p>Two filters say the same: Hazelcast's (checked where it resolves a class by name) and, in the node
 * process, the JVM-wide one of JEP 290 (which also sees proxy classes, depth and sizes).
 */
public final class DeserialisationLimits {
    /** Packages whose classes (not subpackages) a Java-serialised exception is made of. */
    private static final String[] JDK_PACKAGES = {"java.lang", "java.util", "java.util.concurrent", "java.io", "java.net"};
    private static final String HAZELCAST = "com.hazelcast.";
    /** Hazelcast's copies of third-party libraries are not Hazelcast's own classes. */
    private static final String HAZELCAST_SHADED = "com.hazelcast.shaded.";

    /** The JEP 290 pattern of the same allow-list, with bounds on the graph a stream may build. */
    public static final String JVM_FILTER = "maxdepth=32;maxrefs=10000;maxarray=100000;maxbytes=1048576;!"
            + HAZELCAST_SHADED + "**;" + HAZELCAST + "**;" + String.join(".*;", JDK_PACKAGES) + ".*;!*";

    private DeserialisationLimits() {}

    /** For Hazelcast's serialisation config: Java deserialisation of the allow-list only. */
    public static JavaSerializationFilterConfig javaSerialisation() {
        ClassFilter allowed = new ClassFilter().addPrefixes(HAZELCAST, "[").addPackages(JDK_PACKAGES);
        return new JavaSerializationFilterConfig().setDefaultsDisabled(true).setWhitelist(allowed)
                .setBlacklist(new ClassFilter().addPrefixes(HAZELCAST_SHADED));
    }

    /**
     * For Hazelcast's compact serialisation: no class is ever built by reflection from a schema another member
     * names (such data reads as a generic record, which Shardgate never asks for).
     */
    public static JavaSerializationFilterConfig reflectiveCompact() {
        return new JavaSerializationFilterConfig().setDefaultsDisabled(true)
                .setWhitelist(new ClassFilter().addClasses(DeserialisationLimits.class.getName() + "$NoClass"));
    }

    /** Installs {@link #JVM_FILTER} for the whole process; once, at start, before anything is deserialised. */
    public static void installJvmWide() {
        if (ObjectInputFilter.Config.getSerialFilter() == null) {
            ObjectInputFilter.Config.setSerialFilter(ObjectInputFilter.Config.createFilter(JVM_FILTER));
        }
    }
}
