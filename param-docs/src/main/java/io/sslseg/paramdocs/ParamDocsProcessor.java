package io.sslseg.paramdocs;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.annotation.processing.SupportedAnnotationTypes;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;
import javax.tools.FileObject;
import javax.tools.StandardLocation;

/**
 * Writes, for every record compiled whose Javadoc has {@code @param} lines, a resource {@code Name.paramdocs} in the
 * record's package (a nested record: {@code Outer$Name.paramdocs}): a properties file, component name to its
 * description on one line. Runs on every source ({@code *}) and claims no annotation.
 */
@SupportedAnnotationTypes("*")
public final class ParamDocsProcessor extends AbstractProcessor {
    /** The resource name of a record's parameter docs, relative to its package. */
    public static final String SUFFIX = ".paramdocs";

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        for (Element root : round.getRootElements()) {
            visit(root);
        }
        return false;
    }

    private void visit(Element element) {
        if (element.getKind() == ElementKind.RECORD) {
            Map<String, String> docs = params(processingEnv.getElementUtils().getDocComment(element));
            if (!docs.isEmpty()) {
                write((TypeElement) element, docs);
            }
        }
        for (Element inner : element.getEnclosedElements()) {
            if (inner instanceof TypeElement) {
                visit(inner);
            }
        }
    }

    /** The {@code @param NAME text} blocks of a Javadoc comment, each joined to one line. */
    static Map<String, String> params(String doc) {
        Map<String, String> out = new LinkedHashMap<>();
        if (doc == null) {
            return out;
        }
        String name = null;
        StringBuilder text = new StringBuilder();
        for (String raw : doc.split("\n")) {
            String line = raw.strip();
            if (line.startsWith("@")) {
                if (name != null) {
                    out.put(name, text.toString().strip());
                }
                name = null;
                text.setLength(0);
                if (line.startsWith("@param ")) {
                    String rest = line.substring("@param ".length()).strip();
                    int space = rest.indexOf(' ');
                    name = space < 0 ? rest : rest.substring(0, space);
                    text.append(space < 0 ? "" : rest.substring(space + 1));
                }
            } else if (name != null && !line.isEmpty()) {
                text.append(' ').append(line);
            }
        }
        if (name != null) {
            out.put(name, text.toString().strip());
        }
        out.replaceAll((k, v) -> v.replaceAll("\\{@(code|link|linkplain|literal) ([^}]*)}", "$2").replaceAll("\\s+", " "));
        return out;
    }

    private void write(TypeElement record, Map<String, String> docs) {
        PackageElement pkg = processingEnv.getElementUtils().getPackageOf(record);
        String binary = processingEnv.getElementUtils().getBinaryName(record).toString();
        String relative = pkg.isUnnamed() ? binary : binary.substring(pkg.getQualifiedName().length() + 1);
        Properties p = new Properties();
        p.putAll(docs);
        try {
            FileObject file = processingEnv.getFiler().createResource(StandardLocation.CLASS_OUTPUT,
                    pkg.getQualifiedName(), relative + SUFFIX, record);
            try (Writer w = new java.io.OutputStreamWriter(file.openOutputStream(), StandardCharsets.UTF_8)) {
                p.store(w, "the @param lines of " + binary);
            }
        } catch (IOException e) {
            processingEnv.getMessager().printMessage(Diagnostic.Kind.WARNING,
                    "parameter docs of " + binary + " not written: " + e.getMessage(), record);
        }
    }
}
