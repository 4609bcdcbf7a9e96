package io.tfoagent.core.client;

/** The first bytes of a write, in whatever shape the JDK method got them, classified on demand. */
@FunctionalInterface
public interface FirstBytes {
    FirstWriteVerdict classify(FirstWriteClassifier classifier);
}
