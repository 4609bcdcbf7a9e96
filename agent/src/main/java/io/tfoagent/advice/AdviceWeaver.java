package io.tfoagent.advice;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import java.util.List;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;

/**
 * Inlines advice into one JDK class file. Kept apart from {@link SocketClassTransformer}
 * so that ByteBuddy is loaded only when a socket class actually needs weaving: a JVM that
 * never opens a socket never pays for it.
 */
final class AdviceWeaver {
    private AdviceWeaver() {}

    static byte[] weave(String className, byte[] classFile, List<AdviceBinding> bindings) {
        ClassFileLocator locator = new ClassFileLocator.Compound(
                ClassFileLocator.Simple.of(className, classFile), ClassFileLocator.ForClassLoader.ofBootLoader());
        TypeDescription type = TypePool.Default.of(locator).describe(className).resolve();
        DynamicType.Builder<?> builder = new ByteBuddy().with(TypeValidation.DISABLED).redefine(type, locator);
        for (AdviceBinding binding : bindings) {
            ElementMatcher.Junction<MethodDescription> target =
                    named(binding.method).and(takesArguments(binding.arguments));
            // Advice that matches nothing is silently dropped by ByteBuddy: a JDK that renamed
            // the method must be reported, not ignored.
            if (type.getDeclaredMethods().filter(target).isEmpty()) {
                throw new IllegalStateException("no method " + binding);
            }
            builder = builder.visit(Advice.to(binding.advice).on(target));
        }
        return builder.make().getBytes();
    }
}
