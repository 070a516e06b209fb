{{/* Names: every object is <namePrefix>-<part>. */}}
{{- define "sidecarset.webhook" -}}{{ .Values.namePrefix }}-webhook{{- end -}}
{{- define "sidecarset.controller" -}}{{ .Values.namePrefix }}-controller{{- end -}}
{{- define "sidecarset.mutating" -}}{{ .Values.namePrefix }}-mutating{{- end -}}
{{- define "sidecarset.validating" -}}{{ .Values.namePrefix }}-validating{{- end -}}
{{- define "sidecarset.certificate" -}}{{ .Values.namePrefix }}-webhook-tls{{- end -}}

{{/* Labels every object carries. */}}
{{- define "sidecarset.labels" -}}
app.kubernetes.io/part-of: sidecarset
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* image: registry + repository + tag (default appVersion). Arguments: (list $ .Values.webhook.image) */}}
{{- define "sidecarset.image" -}}
{{- $root := index . 0 -}}{{- $image := index . 1 -}}
{{- printf "%s%s:%s" $root.Values.image.registry $image.repository (default $root.Chart.AppVersion $root.Values.image.tag) -}}
{{- end -}}

{{/* The DNS name the API server calls the webhook by. */}}
{{- define "sidecarset.webhookHost" -}}{{ include "sidecarset.webhook" . }}.{{ .Release.Namespace }}.svc{{- end -}}

{{/* cert-manager's caBundle injection, on whatever the API server calls the webhook for. */}}
{{- define "sidecarset.injectCa" -}}
{{- if eq .Values.certificates.mode "cert-manager" }}
  annotations:
    cert-manager.io/inject-ca-from: {{ .Release.Namespace }}/{{ include "sidecarset.certificate" . }}
{{- end }}
{{- end -}}

{{/* The hardened container securityContext both apps run with (read-only root, no privileges). */}}
{{- define "sidecarset.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
capabilities: { drop: ["ALL"] }
seccompProfile: { type: RuntimeDefault }
{{- end -}}

{{/* Scheduling values shared by both Deployments. Argument: the app's values. */}}
{{- define "sidecarset.scheduling" -}}
{{- with .nodeSelector }}
nodeSelector: {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .tolerations }}
tolerations: {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .affinity }}
affinity: {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .priorityClassName }}
priorityClassName: {{ . }}
{{- end }}
{{- end -}}
