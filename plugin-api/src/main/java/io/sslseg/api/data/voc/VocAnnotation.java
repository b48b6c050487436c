package io.sslseg.api.data.voc;

import io.sslseg.api.data.DataException;
import io.sslseg.api.data.DataFiles;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * VOC {@code Annotations/*.xml}: the image-level tags are the {@code <object><name>} entries. Boxes and
 * other fields of real VOC files are ignored on reading; the writer emits only what sslseg uses.
 */
public final class VocAnnotation {
    /** An annotation is a few kilobytes of XML; anything far larger is not one. */
    static final long MAX_FILE_BYTES = 16L << 20;

    /** DocumentBuilders are not thread-safe; loaders read annotations from several threads. */
    private static final ThreadLocal<DocumentBuilder> BUILDER = ThreadLocal.withInitial(VocAnnotation::newBuilder);

    private VocAnnotation() {}

    /** The object names in document order (repeats kept: one per object). */
    public static List<String> readObjectNames(Path file) {
        byte[] bytes = DataFiles.readBytes(file, MAX_FILE_BYTES, "annotation");
        Document doc;
        try {
            DocumentBuilder builder = BUILDER.get();
            builder.reset();
            builder.setErrorHandler(THROWING);
            doc = builder.parse(new ByteArrayInputStream(bytes));
        } catch (SAXParseException e) {
            throw new DataException(file, "not valid XML (line " + e.getLineNumber() + ", column "
                    + e.getColumnNumber() + "): " + e.getMessage(), e);
        } catch (SAXException | IOException e) {
            throw new DataException(file, "not valid XML: " + e.getMessage(), e);
        }
        Element root = doc.getDocumentElement();
        if (!"annotation".equals(root.getTagName())) {
            throw new DataException(file, "not a VOC annotation: root element is <" + root.getTagName()
                    + ">, expected <annotation>");
        }
        List<String> names = new ArrayList<>();
        for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element object && "object".equals(object.getTagName())) {
                Element name = firstChild(object, "name");
                String text = name == null ? "" : name.getTextContent().strip();
                if (text.isEmpty()) {
                    throw new DataException(file, "an <object> without a <name>");
                }
                names.add(text);
            }
        }
        return names;
    }

    /** Writes an annotation with the image's file name and size and one {@code <object>} per name. */
    public static void write(Path file, String imageFileName, int width, int height, List<String> objectNames) {
        StringBuilder xml = new StringBuilder(256)
                .append("<annotation>\n")
                .append("  <filename>").append(escape(imageFileName)).append("</filename>\n")
                .append("  <size><width>").append(width).append("</width><height>").append(height)
                .append("</height><depth>3</depth></size>\n")
                .append("  <segmented>1</segmented>\n");
        for (String name : objectNames) {
            xml.append("  <object><name>").append(escape(name)).append("</name></object>\n");
        }
        xml.append("</annotation>\n");
        try {
            Files.writeString(file, xml, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new DataException(file, "cannot write annotation: " + e, e);
        }
    }

    private static Element firstChild(Element parent, String tag) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && tag.equals(e.getTagName())) {
                return e;
            }
        }
        return null;
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static DocumentBuilder newBuilder() {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            // Dataset files are untrusted input: no DTDs, no external entities.
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            return factory.newDocumentBuilder();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's XML parser cannot be configured", e);
        }
    }

    /** Fail on the first problem instead of printing "[Fatal Error]" lines to stderr. */
    private static final ErrorHandler THROWING = new ErrorHandler() {
        @Override
        public void warning(SAXParseException e) {}

        @Override
        public void error(SAXParseException e) throws SAXException {
            throw e;
        }

        @Override
        public void fatalError(SAXParseException e) throws SAXException {
            throw e;
        }
    };
}
