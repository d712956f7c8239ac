package io.shardgate.xdsclient;

import com.google.protobuf.ByteString;
import java.util.List;

/**
 * A response, decoded the same way for both protocols.
 *
 * @param fullState SotW LDS/CDS: the response is the whole set, anything held and absent is removed
 */
record Update(XdsType type, String nonce, String version, List<Incoming> resources, List<String> removed,
        boolean fullState) {

    /** One resource of a response; {@code version} is the response's version_info in SotW. */
    record Incoming(String name, String version, ByteString body) {}
}
