package io.shardgate.bench.workload;

import io.shardgate.translator.input.InputObject;
import io.shardgate.translator.input.ObjectRef;
import java.util.List;

/**
 * One change of the workload: the projections to upsert and the objects to delete, handed to a node
 * together.
 *
 * @param host the domain it concerns, or null for a certificate rotation or an endpoint change
 */
public record Change(long id, Kind kind, String host, List<InputObject> upserts, List<ObjectRef> deletes) {

    public enum Kind { CREATE, UPDATE, DELETE, ROTATE, ENDPOINTS }

    public Change {
        upserts = List.copyOf(upserts);
        deletes = List.copyOf(deletes);
    }

    /** Every object the change touches. */
    public List<ObjectRef> refs() {
        return java.util.stream.Stream.concat(upserts.stream().map(InputObject::ref), deletes.stream()).toList();
    }
}
