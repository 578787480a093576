package io.github.spfhir.adapter.inbound.http;

import org.apache.catalina.core.StandardHost;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

/** Tomcat's own refusals (before the adapter reads a request) as OperationOutcomes: {@link FhirErrorReportValve}. */
@Component
public class TomcatErrorReportConfiguration implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        // the context is already a child of its host here, which is not started yet
        factory.addContextCustomizers(context -> {
            if (context.getParent() instanceof StandardHost host) {
                host.setErrorReportValveClass(FhirErrorReportValve.class.getName());
            }
        });
    }
}
