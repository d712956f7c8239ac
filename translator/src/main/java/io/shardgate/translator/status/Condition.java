package io.shardgate.translator.status;

/**
 * One condition of a Gateway API status, as the specification names them. The writer adds what is not the
 * translator's to know: observedGeneration (the object's generation) and lastTransitionTime (kept while the
 * condition's status stays the same).
 *
 * @param message for people; may hold text from the object, already quoted by the translator
 */
public record Condition(String type, boolean status, String reason, String message) {

    public static Condition isTrue(String type, String reason, String message) {
        return new Condition(type, true, reason, message);
    }

    public static Condition isFalse(String type, String reason, String message) {
        return new Condition(type, false, reason, message);
    }
}
