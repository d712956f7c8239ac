package io.shardgate.xdsclient;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import java.io.IOException;

/**
 * Reads a resource's name from its bytes without decoding it: Listener, Cluster, RouteConfiguration, Secret
 * (name) and ClusterLoadAssignment (cluster_name) all keep it in field 1. SotW responses carry no names.
 */
final class ResourceNames {
    private static final int NAME_TAG = (1 << 3) | 2; // field 1, wire type 2 (length-delimited)

    private ResourceNames() {}

    static String nameOf(ByteString body) {
        try {
            CodedInputStream in = body.newCodedInput();
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                if (tag == NAME_TAG) return in.readStringRequireUtf8();
                in.skipField(tag);
            }
            return "";
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed resource: " + e.getMessage(), e);
        }
    }
}
