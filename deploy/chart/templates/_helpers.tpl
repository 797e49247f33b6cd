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
A container's env (render::env_vars): plain env by name, then configKeys, then secretKeys, in
list order, then the pod's fields by name. Takes (dict "container" C "configName" N
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
  {{- range $key, $value := $env }}
  - name: {{ $key | quote }}
    value: {{ $value | quote }}
  {{- end }}
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
