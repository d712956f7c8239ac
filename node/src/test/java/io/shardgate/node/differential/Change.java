package io.shardgate.node.differential;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.shardgate.translator.input.ObjectRef;

/** One change of a step: an object created or replaced, an object deleted, or shards changing owner. */
sealed interface Change {

    record Put(HasMetadata object) implements Change {
        @Override
        public String toString() {
            return "put " + World.refOf(object);
        }
    }

    record Delete(ObjectRef ref) implements Change {
        @Override
        public String toString() {
            return "delete " + ref;
        }
    }

    /** The cluster moves shards between nodes: the node under test owns a different set from now on. */
    record MoveOwnership(long epoch) implements Change {
        @Override
        public String toString() {
            return "ownership epoch " + epoch;
        }
    }
}
