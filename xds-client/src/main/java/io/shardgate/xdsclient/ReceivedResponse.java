package io.shardgate.xdsclient;

import java.util.List;

/**
 * One response as it arrived, for tests that assert what was (not) re-sent.
 *
 * @param resources the names of the resources it carried
 * @param removed the names it removed (Delta removed_resources)
 * @param nacked whether the client rejected it
 */
public record ReceivedResponse(
        XdsType type, String nonce, String version, List<String> resources, List<String> removed, boolean nacked,
        long arrivalNanos) {

    public ReceivedResponse {
        resources = List.copyOf(resources);
        removed = List.copyOf(removed);
    }
}
