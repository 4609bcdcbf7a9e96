package io.tfoagent.advice;

import java.util.List;
import net.bytebuddy.ClassFileVersion;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.scaffold.TypeInitializer;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;

/**
 * Inlines advice into one JDK class file. It applies ByteBuddy's {@link Advice} straight
 * onto ASM's reader and writer instead of going through {@code ByteBuddy.redefine()}: the
 * result is the same advice, without loading the type-building machinery, which cost
 * most of the agent's start-up. Kept apart from {@link SocketClassTransformer} so that
 * ByteBuddy is loaded only when a socket class actually needs weaving.
 */
final class AdviceWeaver {
    private AdviceWeaver() {}

    /**
     * @param loader the class's loader (null: the bootstrap loader), where the types its advice
     *               reads about (a superclass's field) are described from, never loaded
     */
    static byte[] weave(String className, byte[] classFile, List<AdviceBinding> bindings, ClassLoader loader) {
        ClassFileLocator locator = new ClassFileLocator.Compound(
                ClassFileLocator.Simple.of(className, classFile), ClassFileLocator.ForClassLoader.of(loader));
        TypePool pool = TypePool.Default.of(locator);
        TypeDescription type = pool.describe(className).resolve();
        AsmVisitorWrapper.ForDeclaredMethods wrapper = new AsmVisitorWrapper.ForDeclaredMethods();
        for (AdviceBinding binding : bindings) {
            ElementMatcher.Junction<MethodDescription> target = binding.matcher();
            // Advice that matches nothing is silently dropped: a JDK that renamed the method
            // must be reported, not ignored.
            if (type.getDeclaredMethods().filter(target).isEmpty()) {
                throw new IllegalStateException("no method " + binding);
            }
            wrapper = wrapper.method(target, binding.advice());
        }
        // The flags the advice asks for (expanded frames, so it can write its own); never
        // COMPUTE_FRAMES, which would load classes in the middle of a class load.
        int readerFlags = wrapper.mergeReader(0);
        int writerFlags = wrapper.mergeWriter(0);
        ClassReader reader = new ClassReader(classFile);
        ClassWriter writer = new ClassWriter(reader, writerFlags);
        ClassFileVersion version = ClassFileVersion.ofClassFile(classFile);
        Implementation.Context context = Implementation.Context.Disabled.Factory.INSTANCE
                .make(type, null, TypeInitializer.None.INSTANCE, version, version);
        ClassVisitor visitor = wrapper.wrap(type, writer, context, pool, type.getDeclaredFields(),
                type.getDeclaredMethods(), writerFlags, readerFlags);
        reader.accept(visitor, readerFlags);
        return writer.toByteArray();
    }
}
