package io.shardgate.translator.claim;

import io.shardgate.translator.Problem;
import io.shardgate.translator.input.ObjectRef;
import io.shardgate.translator.model.DomainModel;
import java.util.List;
import java.util.SortedSet;

/** Either a model to serve for one domain or the reasons there is none. */
public sealed interface DomainOutcome {
    record Modelled(DomainModel model) implements DomainOutcome {}

    /** @param problems empty when simply nothing claims the host any more */
    record Unserved(SortedSet<ObjectRef> sources, List<Problem> problems) implements DomainOutcome {}
}
