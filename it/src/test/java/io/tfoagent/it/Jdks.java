package io.tfoagent.it;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/** The JDKs every integration test runs on: the one running the tests (17) and a JDK 25. */
final class Jdks {
    private Jdks() {}

    static Stream<Jdk> all() {
        return Stream.of(
                new Jdk("jdk" + Runtime.version().feature(), Path.of(System.getProperty("java.home"))),
                new Jdk("jdk25", SuiteProperties.jdk25Home()));
    }

    /** Arguments {@code (jdk, value)} for every JDK and every value, for a {@code @MethodSource}. */
    static Stream<Arguments> crossedWith(Object... values) {
        return all().flatMap(jdk -> Arrays.stream(values).map(value -> Arguments.of(jdk, value)));
    }
}
