package io.sslseg.api;

import com.google.inject.Module;
import org.pf4j.ExtensionPoint;

/**
 * What a plugin contributes: a Guice module (annotate the class with {@code @org.pf4j.Extension}) whose
 * {@code configure()} registers components with {@link Components#register}.
 */
public interface SslsegModule extends Module, ExtensionPoint {}
