package io.shardgate.chaos.attack;

/** One attack a client can make on a node, run against {@link AttackTarget}; the suite measures around it. */
interface ClientAttack {
    String name();

    /** Runs the attack to its end (its connections closed); says whether the node answered it as it must. */
    Outcome run(AttackTarget target) throws Exception;

    /**
     * @param held whether the node answered as it must (the attack-specific check; the suite checks the rest)
     * @param figures what was measured, for the report
     */
    record Outcome(boolean held, String figures) {}
}
