package io.github.spfhir.adapter.inbound.http;

import java.io.IOException;
import java.io.Writer;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;

/**
 * Tomcat's error report, as a FHIR OperationOutcome instead of its HTML page. It answers only what never reached the
 * adapter's own code: a request Tomcat refuses itself, before any servlet runs (a header with a bare CR or another
 * forbidden character, an over-long request line or headers, a malformed request line). Everything the adapter answers
 * already carries its own OperationOutcome and is left alone. Fixed words only: never the request's content.
 */
public class FhirErrorReportValve extends ErrorReportValve {

    public FhirErrorReportValve() {
        setShowReport(false);
        setShowServerInfo(false);
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0) {
            return;
        }
        AtomicBoolean writable = new AtomicBoolean(false);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, writable);
        if (!writable.get()) {
            return;
        }
        String code = switch (status) {
            case 400, 414, 431 -> "invalid";
            case 404 -> "not-found";
            case 405, 415, 505 -> "not-supported";
            case 408 -> "timeout";
            case 413 -> "too-long";
            default -> status >= 500 ? "exception" : "processing";
        };
        String diagnostics = status >= 500 ? "The web server failed to answer this request"
                : "The HTTP request was refused by the web server before the adapter read it (HTTP " + status
                        + "): check the request line and headers (no line breaks or control characters in a header"
                        + " value, and within the size limits)";
        String body = "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\",\"code\":\"" + code
                + "\",\"diagnostics\":\"" + diagnostics + "\"}]}";
        try {
            response.setContentType("application/fhir+json");
            response.setCharacterEncoding("UTF-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(body);
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the connection is already gone: nothing more can be said
        }
    }
}
