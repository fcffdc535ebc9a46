{{/* The chart's name, at most 63 characters. */}}
{{- define "troupe.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The release's resources' name: RELEASE-troupe, or the release name when it already says troupe. */}}
{{- define "troupe.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* The labels that select the release's pods; Cluster Bootstrap lists the pods by them. */}}
{{- define "troupe.selectorLabels" -}}
app.kubernetes.io/name: {{ include "troupe.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "troupe.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "troupe.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "troupe.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "troupe.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name: name the service account the pods run as (it needs get, list and watch on pods), or set serviceAccount.create=true" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The Secret with journal-url, journal-user, journal-password and api-token. */}}
{{- define "troupe.secretName" -}}
{{- if .Values.secret.create }}
{{- include "troupe.fullname" . }}
{{- else }}
{{- required "secret.existingSecret: name the Secret with the keys journal-url, journal-user, journal-password and api-token, or set secret.create=true" .Values.secret.existingSecret }}
{{- end }}
{{- end }}

{{- define "troupe.requiredContactPoints" -}}
{{- $required := default .Values.replicaCount .Values.bootstrap.requiredContactPoints | int }}
{{- if lt $required 1 }}
{{- fail "bootstrap.requiredContactPoints must be at least 1; set it to the number of replicas" }}
{{- end }}
{{- $required }}
{{- end }}
