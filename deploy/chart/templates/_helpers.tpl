{{/*
Helpers shared by the templates. Every one mirrors a function of kubeplay_core::render, so that
`helm template` and `kubeplay render` write the same objects; change both together.
Optional values are read with `get`/`hasKey` rather than `.field` so that absent keys and keys
set to null (Helm keeps nulls for keys the defaults do not have) both count as "not given".
*/}}

{{/*
The `helm.sh/chart` label: `<name>-<version>` (render::CHART_NAME, render::CHART_VERSION).
*/}}
{{- define "kubeplay.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version -}}
{{- end }}

{{/*
Selector labels (render::selector_labels): the stable subset, never changed for the life of a
Deployment. Takes (dict "root" $ ["component" NAME]).
*/}}
{{- define "kubeplay.selectorLabelMap" -}}
{{- $labels := dict "app.kubernetes.io/name" .root.Values.appName "app.kubernetes.io/instance" .root.Release.Name -}}
{{- if hasKey . "component" -}}
{{- $_ := set $labels "app.kubernetes.io/component" .component -}}
{{- end -}}
{{- toYaml $labels -}}
{{- end }}

{{/*
Labels on every object (render::standard_labels): commonLabels, overridden by the recommended
labels. managed-by is kubeplay, not Helm: the model says so (render::MANAGER).
Takes (dict "root" $ ["component" NAME "tag" IMAGE_TAG]).
*/}}
{{- define "kubeplay.labels" -}}
{{- $labels := dict -}}
{{- range $key, $value := (get .root.Values "commonLabels" | default dict) -}}
{{- $_ := set $labels $key $value -}}
{{- end -}}
{{- range $key, $value := (include "kubeplay.selectorLabelMap" . | fromYaml) -}}
{{- $_ := set $labels $key $value -}}
{{- end -}}
{{- $_ := set $labels "app.kubernetes.io/part-of" .root.Values.appName -}}
{{- $_ := set $labels "app.kubernetes.io/managed-by" "kubeplay" -}}
{{- $_ := set $labels "helm.sh/chart" (include "kubeplay.chart" .root) -}}
{{- with get . "tag" -}}
{{- /* Only a valid label value (names::label_value): a tag like `1.0-` would make the object invalid. */ -}}
{{- if and (le (len .) 63) (regexMatch "^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$" .) -}}
{{- $_ := set $labels "app.kubernetes.io/version" . -}}
{{- end -}}
{{- end -}}
{{- toYaml $labels -}}
{{- end }}

{{/*
The ConfigMap's and the Secret's names (render::config_map_name, render::secret_name).
*/}}
{{- define "kubeplay.configMapName" -}}
{{- printf "%s-config" .Values.appName -}}
{{- end }}

{{- define "kubeplay.secretName" -}}
{{- printf "%s-secrets" .Values.appName -}}
{{- end }}

{{/*
render::checksum: sha256 over `key=value\n` lines in key order (range visits map keys sorted).
*/}}
{{- define "kubeplay.checksum" -}}
{{- $lines := "" -}}
{{- range $key, $value := . -}}
{{- $lines = printf "%s%s=%s\n" $lines $key $value -}}
{{- end -}}
{{- sha256sum $lines -}}
{{- end }}

{{/*
render::secret_checksum: keyed by the secret KUBEPLAY_CHECKSUM_KEY when it is given (not empty):
sha256(K + sha256(K + lines)) over the other entries' `key=value\n` lines, so a reader of the
Deployment cannot test guesses of a value; without a key, the lines with the values left out.
*/}}
{{- define "kubeplay.secretChecksum" -}}
{{- $key := get . "KUBEPLAY_CHECKSUM_KEY" | default "" -}}
{{- $lines := "" -}}
{{- range $name, $value := . -}}
{{- if ne $name "KUBEPLAY_CHECKSUM_KEY" -}}
{{- $lines = printf "%s%s=%s\n" $lines $name (ternary $value "" (ne $key "")) -}}
{{- end -}}
{{- end -}}
{{- if ne $key "" -}}
{{- sha256sum (printf "%s%s" $key (sha256sum (printf "%s%s" $key $lines))) -}}
{{- else -}}
{{- sha256sum $lines -}}
{{- end -}}
{{- end }}

{{/*
A port given by number or by name (an IntOrString). Numbers arrive as float64 from values
files: `int` prints them without a fraction; names are quoted so "8080" stays a string.
*/}}
{{- define "kubeplay.portRef" -}}
{{- if kindIs "string" . -}}
{{- quote . -}}
{{- else -}}
{{- int . -}}
{{- end -}}
{{- end }}

{{/*
The entries of a map that are given (present and not null), keeping only `keys`: how the
renderer treats Option fields, where false and 0 are given. Takes (dict "from" MAP "keys" LIST);
prints a YAML map (`{}` when nothing is given) for `fromYaml`. Numbers come back as float64,
which toYaml prints without a fraction or exponent below 1e21.
*/}}
{{- define "kubeplay.given" -}}
{{- $out := dict -}}
{{- $from := .from | default dict -}}
{{- range $key := .keys -}}
{{- if and (hasKey $from $key) (not (kindIs "invalid" (index $from $key))) -}}
{{- $_ := set $out $key (index $from $key) -}}
{{- end -}}
{{- end -}}
{{- toYaml $out -}}
{{- end }}

{{/*
A configMap or secret volume's files (render::pod_volume): `items` as key -> path in key order,
and `defaultMode`; prints nothing when neither is given.
*/}}
{{- define "kubeplay.keyFiles" -}}
{{- $from := . | default dict -}}
{{- with get $from "items" }}
items:
{{- range $key, $path := . }}
  - key: {{ $key | quote }}
    path: {{ $path | quote }}
{{- end }}
{{- end }}
{{- if and (hasKey $from "defaultMode") (not (kindIs "invalid" $from.defaultMode)) }}
defaultMode: {{ $from.defaultMode | int }}
{{- end }}
{{- end }}

{{/*
A container's image, pull policy, command and args (render::container_process). Takes the
component or init container.
*/}}
{{- define "kubeplay.process" -}}
{{- $image := .image -}}
{{- $tag := get $image "tag" -}}
image: {{ if $tag }}{{ printf "%s:%s" $image.repository $tag | quote }}{{ else }}{{ $image.repository | quote }}{{ end }}
{{- with get $image "pullPolicy" }}
imagePullPolicy: {{ . | quote }}
{{- end }}
{{- with get . "command" }}
command:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with get . "args" }}
args:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}

{{/*
A container's env (render::env_vars): configKeys, then secretKeys, in list order, then the
pod's fields by name, then plain env by name (last, so its `$(VAR)` can name any of the others). Takes (dict "container" C "configName" N
"secretName" N); prints nothing when there is none.
*/}}
{{- define "kubeplay.env" -}}
{{- $env := get .container "env" | default dict -}}
{{- $configKeys := get .container "configKeys" | default list -}}
{{- $secretKeys := get .container "secretKeys" | default list -}}
{{- $fieldEnv := get .container "fieldEnv" | default dict -}}
{{- $configName := .configName -}}
{{- $secretName := .secretName -}}
{{- if or $env $configKeys $secretKeys $fieldEnv }}
env:
  {{- range $configKeys }}
  - name: {{ . | quote }}
    valueFrom:
      configMapKeyRef:
        name: {{ $configName | quote }}
        key: {{ . | quote }}
  {{- end }}
  {{- range $secretKeys }}
  - name: {{ . | quote }}
    valueFrom:
      secretKeyRef:
        name: {{ $secretName | quote }}
        key: {{ . | quote }}
  {{- end }}
  {{- range $key, $path := $fieldEnv }}
  - name: {{ $key | quote }}
    valueFrom:
      fieldRef:
        fieldPath: {{ $path | quote }}
  {{- end }}
  {{- range $key, $value := $env }}
  - name: {{ $key | quote }}
    value: {{ $value | quote }}
  {{- end }}
{{- end }}
{{- end }}

{{/*
A container's securityContext as given (render::security_context); nothing when none is.
Takes the component or init container.
*/}}
{{- define "kubeplay.securityContext" -}}
{{- with include "kubeplay.given" (dict "from" (get . "securityContext") "keys" (list "runAsNonRoot" "runAsUser" "readOnlyRootFilesystem" "allowPrivilegeEscalation" "capabilities" "seccompProfile")) | fromYaml }}
securityContext:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}

{{/*
A component's kind (values::ComponentKind): a Deployment unless it says.
*/}}
{{- define "kubeplay.kind" -}}
{{- get . "kind" | default "Deployment" -}}
{{- end }}

{{/*
"true" when a component is a setup Job (render::is_setup_job), else "".
*/}}
{{- define "kubeplay.isSetupJob" -}}
{{- if and (eq (include "kubeplay.kind" .) "Job") (get . "hook") }}true{{ end -}}
{{- end }}

{{/*
The keys of `config` ("source" "configMap") or `secrets` ("source" "secret") that setup Jobs
read, as a JSON list (render::setup_keys): as variables, or as files (every key of a volume that
names none). Takes (dict "root" $ "source" S).
*/}}
{{- define "kubeplay.setupKeys" -}}
{{- $root := .root -}}
{{- $source := .source -}}
{{- $field := ternary "configKeys" "secretKeys" (eq $source "configMap") -}}
{{- $data := ternary (get $root.Values "config" | default dict) (get $root.Values "secrets" | default dict) (eq $source "configMap") -}}
{{- $keys := list -}}
{{- range $name, $c := $root.Values.components -}}
{{- if include "kubeplay.isSetupJob" $c -}}
{{- $keys = concat $keys (get $c $field | default list) -}}
{{- range (get $c "initContainers" | default list) -}}
{{- $keys = concat $keys (get . $field | default list) -}}
{{- end -}}
{{- range $volume, $from := (get $c "volumes" | default dict) -}}
{{- if hasKey $from $source -}}
{{- $items := get (get $from $source | default dict) "items" | default dict -}}
{{- $keys = concat $keys (keys (ternary $items $data (not (empty $items)))) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- toJson (uniq $keys) -}}
{{- end }}

{{/*
A hook's annotations (manifest::hooks::hook_annotations). Takes (list points weight).
*/}}
{{- define "kubeplay.hookAnnotations" -}}
helm.sh/hook: {{ index . 0 | quote }}
helm.sh/hook-delete-policy: "before-hook-creation"
helm.sh/hook-weight: {{ index . 1 | quote }}
{{- end }}

{{/*
A claim's spec (render::persistent_volume_claim): Minikube's class when none is given
(values::DEFAULT_STORAGE_CLASS); "" asks for none.
*/}}
{{- define "kubeplay.claimSpec" -}}
accessModes:
  {{- toYaml (get . "accessModes" | default (list "ReadWriteOnce")) | nindent 2 }}
storageClassName: {{ if and (hasKey . "storageClassName") (not (kindIs "invalid" .storageClassName)) }}{{ .storageClassName | quote }}{{ else }}"standard"{{ end }}
resources:
  requests:
    storage: {{ .size | quote }}
{{- end }}

{{/*
The apiVersion of a workload kind (render::workload_api_version).
*/}}
{{- define "kubeplay.workloadApiVersion" -}}
{{- if has . (list "Job" "CronJob") }}batch/v1{{ else }}apps/v1{{ end -}}
{{- end }}

{{/*
A component's pod template (render::pod_template), at no indent. Takes the dict workload.yaml
makes of its variables.
*/}}
{{- define "kubeplay.podTemplate" -}}
{{- $root := .root }}
{{- $name := .name }}
{{- $c := .c }}
{{- $kind := .kind }}
{{- $labels := .labels }}
{{- $configName := .configName }}
{{- $secretName := .secretName }}
{{- $config := .config }}
{{- $secrets := .secrets }}
{{- $takesConfig := .takesConfig }}
{{- $takesSecrets := .takesSecrets }}
{{- $probes := .probes }}
{{- $requests := .requests }}
{{- $limits := .limits }}
metadata:
  labels:
    {{- $labels | nindent 4 }}
  {{- /* Roll the pods when the data they read changes (render::checksum, render::secret_checksum). */}}
  {{- if or (and $takesConfig $config) (and $takesSecrets $secrets) }}
  annotations:
    {{- if and $takesConfig $config }}
    checksum/config: {{ include "kubeplay.checksum" $config | quote }}
    {{- end }}
    {{- if and $takesSecrets $secrets }}
    checksum/secret: {{ include "kubeplay.secretChecksum" $secrets | quote }}
    {{- end }}
  {{- end }}
spec:
  {{- /* A Job's pods may not restart `Always`, the kubelet's default. */}}
  {{- if has $kind (list "Job" "CronJob") }}
  restartPolicy: {{ get $c "restartPolicy" | default "Never" | quote }}
  {{- end }}
  {{- if and (hasKey $c "serviceAccount") (not (kindIs "invalid" $c.serviceAccount)) }}
  serviceAccountName: {{ get $c.serviceAccount "name" | default $name | quote }}
  automountServiceAccountToken: {{ get $c.serviceAccount "automountServiceAccountToken" | default false }}
  {{- end }}
  {{- if and (hasKey $c "terminationGracePeriodSeconds") (not (kindIs "invalid" $c.terminationGracePeriodSeconds)) }}
  terminationGracePeriodSeconds: {{ $c.terminationGracePeriodSeconds | int64 }}
  {{- end }}
  {{- /* render::deployment: init containers in order, before the app's. */}}
  {{- with get $c "initContainers" }}
  initContainers:
    {{- range . }}
    - name: {{ .name | quote }}
      {{- include "kubeplay.process" . | nindent 6 }}
      {{- include "kubeplay.env" (dict "container" . "configName" $configName "secretName" $secretName) | nindent 6 }}
      {{- include "kubeplay.securityContext" . | nindent 6 }}
    {{- end }}
  {{- end }}
  containers:
    - name: {{ $name | quote }}
      {{- include "kubeplay.process" $c | nindent 6 }}
      {{- with get $c "ports" }}
      ports:
        {{- range . }}
        - name: {{ .name | quote }}
          containerPort: {{ .containerPort | int }}
          protocol: TCP
        {{- end }}
      {{- end }}
      {{- include "kubeplay.env" (dict "container" $c "configName" $configName "secretName" $secretName) | nindent 6 }}
      {{- /* render::pre_stop: the kubelet's sleep, or a command. */}}
      {{- with get $c "preStop" }}
      lifecycle:
        preStop:
          {{- if hasKey . "sleep" }}
          sleep:
            seconds: {{ .sleep | int64 }}
          {{- else }}
          exec:
            command:
              {{- toYaml .exec | nindent 14 }}
          {{- end }}
      {{- end }}
      {{- range $kind, $field := dict "liveness" "livenessProbe" "readiness" "readinessProbe" "startup" "startupProbe" }}
      {{- with get $probes $kind }}
      {{ $field }}:
        {{- /* render::probe: an HTTP GET of the path, or without one a TCP connection. */}}
        {{- if and (hasKey . "path") (not (kindIs "invalid" .path)) }}
        httpGet:
          path: {{ .path | quote }}
          port: {{ include "kubeplay.portRef" .port }}
        {{- else }}
        tcpSocket:
          port: {{ include "kubeplay.portRef" .port }}
        {{- end }}
        {{- with include "kubeplay.given" (dict "from" . "keys" (list "initialDelaySeconds" "periodSeconds" "timeoutSeconds" "failureThreshold")) | fromYaml }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      {{- end }}
      {{- end }}
      {{- if or $requests $limits }}
      resources:
        {{- with $requests }}
        requests:
          {{- toYaml . | nindent 10 }}
        {{- end }}
        {{- with $limits }}
        limits:
          {{- toYaml . | nindent 10 }}
        {{- end }}
      {{- end }}
      {{- include "kubeplay.securityContext" $c | nindent 6 }}
      {{- with get $c "volumeMounts" }}
      volumeMounts:
        {{- range . }}
        - name: {{ .name | quote }}
          mountPath: {{ .mountPath | quote }}
          {{- with include "kubeplay.given" (dict "from" . "keys" (list "readOnly" "subPath")) | fromYaml }}
          {{- toYaml . | nindent 10 }}
          {{- end }}
        {{- end }}
      {{- end }}
  {{- /* render::pod_volume: by name; files come from the release's ConfigMap and Secret. */}}
  {{- with get $c "volumes" }}
  volumes:
    {{- range $volume, $source := . }}
    - name: {{ $volume | quote }}
      {{- if hasKey $source "emptyDir" }}
      emptyDir:
        {{- with include "kubeplay.given" (dict "from" $source.emptyDir "keys" (list "medium" "sizeLimit")) | fromYaml }}
        {{- toYaml . | nindent 8 }}
        {{- else }} {}
        {{- end }}
      {{- else if hasKey $source "configMap" }}
      configMap:
        name: {{ $configName | quote }}
        {{- include "kubeplay.keyFiles" $source.configMap | nindent 8 }}
      {{- else if hasKey $source "secret" }}
      secret:
        secretName: {{ $secretName | quote }}
        {{- include "kubeplay.keyFiles" $source.secret | nindent 8 }}
      {{- else if hasKey $source "persistentVolumeClaim" }}
      persistentVolumeClaim:
        claimName: {{ printf "%s-%s" $name $volume | quote }}
      {{- end }}
    {{- end }}
  {{- end }}
{{- end }}
