// The objects the kubectl session test creates: one realistic manifest per built-in kind kin serves,
// with what `kubectl get` and `kubectl describe` print for it on a real cluster.

/** One kind in the session: its manifest and the output a real cluster gives for it. */
export interface KindCase {
  /** Kind, for test names. */
  kind: string;
  /** The resource as typed on the kubectl command line (plural or plural.group). */
  resource: string;
  /** What kubectl prints before the slash in `create`/`delete` output, e.g. `deployment.apps`. */
  printed: string;
  name: string;
  namespaced: boolean;
  /** The manifest; `rev` is written into a label so replace -f changes something. */
  yaml: (rev: number) => string;
  /** Header of `kubectl get` (default columns). */
  header: RegExp;
  /** Header of `kubectl get -o wide`, when it has extra columns. */
  wideHeader?: RegExp;
  /** The object's row in `kubectl get` (default columns); with `settle`, once it has settled. */
  row?: RegExp;
  /**
   * For kinds the controllers act on: kubectl arguments (after `-n ns`) that return once the cluster has done its
   * work (pods scheduled and Ready, a rollout done, a Job complete, a quota's status filled). `row` and `describe`
   * are then checked against the settled object; the table right after creation only has to list it.
   */
  settle?: string[];
  /** Lines `kubectl describe` must print besides `Name:`. */
  describe: RegExp[];
}

const age = String.raw`\d+s`;

/** The session's manifests for one kubectl minor version, in namespace `ns`. */
export function kindCases(minor: number, ns: string): KindCase[] {
  const sfx = `-${minor}`;
  const meta = (name: string, rev: number, namespaced = true, extra = '') =>
    `metadata:\n  name: ${name}\n${namespaced ? `  namespace: ${ns}\n` : ''}  labels:\n    app: web\n    rev: "${rev}"\n${extra}`;
  const podTemplate = (app: string) => `    metadata:
      labels:
        app: ${app}
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        ports:
        - containerPort: 80`;
  return [
    {
      kind: 'Namespace', resource: 'namespaces', printed: 'namespace', name: `team${sfx}`, namespaced: false,
      yaml: (r) => `apiVersion: v1\nkind: Namespace\n${meta(`team${sfx}`, r, false)}`,
      header: /^NAME\s+STATUS\s+AGE$/m, row: new RegExp(`^team${sfx}\\s+Active\\s+${age}$`, 'm'),
      describe: [/Status:\s+Active/, /No resource quota\./, /No LimitRange resource\./],
    },
    {
      kind: 'Pod', resource: 'pods', printed: 'pod', name: 'web', namespaced: true,
      yaml: (r) => `apiVersion: v1\nkind: Pod\n${meta('web', r)}spec:
  containers:
  - name: nginx
    image: nginx:1.27
    ports:
    - containerPort: 80
      name: http
    resources:
      requests:
        cpu: 100m
        memory: 64Mi
`,
      header: /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/m,
      wideHeader: /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES$/m,
      // the scheduler binds it to the simulated node and the kubelet starts it
      settle: ['wait', '--for=condition=Ready', 'pod/web', '--timeout=60s'],
      row: new RegExp(`^web\\s+1/1\\s+Running\\s+0\\s+${age}$`, 'm'),
      describe: [/Status:\s+Running/, /Node:\s+kin-node-1\/\d+\.\d+\.\d+\.\d+/, /Containers:\n\s+nginx:/, /Image:\s+nginx:1\.27/, /State:\s+Running/, /QoS Class:\s+Burstable/, /Tolerations:/],
    },
    {
      kind: 'Service', resource: 'services', printed: 'service', name: 'web', namespaced: true,
      yaml: (r) => `apiVersion: v1\nkind: Service\n${meta('web', r)}spec:
  selector:
    app: web
  ports:
  - name: http
    port: 80
    targetPort: 8080
`,
      header: /^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE$/m,
      wideHeader: /^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE\s+SELECTOR$/m,
      row: new RegExp(`^web\\s+ClusterIP\\s+10\\.\\d+\\.\\d+\\.\\d+\\s+<none>\\s+80/TCP\\s+${age}$`, 'm'),
      describe: [/Type:\s+ClusterIP/, /IP Families:\s+IPv4/, /Port:\s+http\s+80\/TCP/, /TargetPort:\s+8080\/TCP/, /Selector:\s+app=web/],
    },
    {
      kind: 'ConfigMap', resource: 'configmaps', printed: 'configmap', name: 'settings', namespaced: true,
      yaml: (r) => `apiVersion: v1\nkind: ConfigMap\n${meta('settings', r)}data:\n  LOG_LEVEL: info\n  app.properties: |\n    color=blue\n    size=3\n`,
      header: /^NAME\s+DATA\s+AGE$/m, row: new RegExp(`^settings\\s+2\\s+${age}$`, 'm'),
      describe: [/Data\n====/, /LOG_LEVEL:\n----\ninfo/],
    },
    {
      kind: 'Secret', resource: 'secrets', printed: 'secret', name: 'db-creds', namespaced: true,
      yaml: (r) => `apiVersion: v1\nkind: Secret\n${meta('db-creds', r)}type: Opaque\nstringData:\n  username: admin\n  password: s3cr3t\n`,
      header: /^NAME\s+TYPE\s+DATA\s+AGE$/m, row: new RegExp(`^db-creds\\s+Opaque\\s+2\\s+${age}$`, 'm'),
      describe: [/Type:\s+Opaque/, /password:\s+6 bytes/, /username:\s+5 bytes/],
    },
    {
      kind: 'ServiceAccount', resource: 'serviceaccounts', printed: 'serviceaccount', name: 'builder', namespaced: true,
      yaml: (r) => `apiVersion: v1\nkind: ServiceAccount\n${meta('builder', r)}automountServiceAccountToken: false\n`,
      header: /^NAME\s+SECRETS\s+AGE$/m, row: new RegExp(`^builder\\s+0\\s+${age}$`, 'm'),
      describe: [/Mountable secrets:\s+<none>/, /Tokens:\s+<none>/],
    },
    {
      kind: 'Node', resource: 'nodes', printed: 'node', name: `worker${sfx}`, namespaced: false,
      yaml: (r) => `apiVersion: v1\nkind: Node\n${meta(`worker${sfx}`, r, false)}spec:
  podCIDR: 10.244.${minor}.0/24
  taints:
  - key: dedicated
    value: batch
    effect: NoSchedule
`,
      header: /^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION$/m,
      wideHeader: /^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION\s+INTERNAL-IP\s+EXTERNAL-IP\s+OS-IMAGE\s+KERNEL-VERSION\s+CONTAINER-RUNTIME$/m,
      row: new RegExp(`^worker${sfx}\\s+Unknown\\s+<none>\\s+${age}\\s+$`, 'm'),
      describe: [/Taints:\s+dedicated=batch:NoSchedule/, /PodCIDR:\s+10\.244\.\d+\.0\/24/, /Unschedulable:\s+false/],
    },
    {
      kind: 'Event', resource: 'events', printed: 'event', name: 'web.manual', namespaced: true,
      yaml: (r) => `apiVersion: v1\nkind: Event\n${meta('web.manual', r)}involvedObject:
  apiVersion: v1
  kind: Pod
  name: web
  namespace: ${ns}
reason: Manual
message: created by hand
type: Normal
count: 1
source:
  component: session-test
firstTimestamp: "2025-01-01T00:00:00Z"
lastTimestamp: "2025-01-01T00:00:00Z"
`,
      header: /^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE$/m,
      wideHeader: /^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+SUBOBJECT\s+SOURCE\s+MESSAGE\s+FIRST SEEN\s+COUNT\s+NAME$/m,
      describe: [/Reason:\s+Manual/, /Message:\s+created by hand/, /Involved Object:/],
    },
    {
      kind: 'Endpoints', resource: 'endpoints', printed: 'endpoints', name: 'legacy', namespaced: true,
      yaml: (r) => `apiVersion: v1\nkind: Endpoints\n${meta('legacy', r)}subsets:
- addresses:
  - ip: 10.1.2.3
  - ip: 10.1.2.4
  ports:
  - name: http
    port: 8080
    protocol: TCP
`,
      header: /^NAME\s+ENDPOINTS\s+AGE$/m, row: new RegExp(`^legacy\\s+10\\.1\\.2\\.3:8080,10\\.1\\.2\\.4:8080\\s+${age}$`, 'm'),
      describe: [/Subsets:/, /Addresses:\s+10\.1\.2\.3,10\.1\.2\.4/, /http\s+8080\s+TCP/],
    },
    {
      kind: 'PersistentVolume', resource: 'persistentvolumes', printed: 'persistentvolume', name: `data${sfx}`, namespaced: false,
      yaml: (r) => `apiVersion: v1\nkind: PersistentVolume\n${meta(`data${sfx}`, r, false)}spec:
  capacity:
    storage: 5Gi
  accessModes:
  - ReadWriteOnce
  persistentVolumeReclaimPolicy: Retain
  storageClassName: manual
  hostPath:
    path: /mnt/data${sfx}
`,
      header: /^NAME\s+CAPACITY\s+ACCESS MODES\s+RECLAIM POLICY\s+STATUS\s+CLAIM\s+STORAGECLASS\s+VOLUMEATTRIBUTESCLASS\s+REASON\s+AGE$/m,
      wideHeader: /^NAME\s+CAPACITY\s+ACCESS MODES\s+RECLAIM POLICY\s+STATUS\s+CLAIM\s+STORAGECLASS\s+VOLUMEATTRIBUTESCLASS\s+REASON\s+AGE\s+VOLUMEMODE$/m,
      // no claim asks for it (the claim `data` wants more than 5Gi): the binder marks it Available
      settle: ['wait', '--for=jsonpath={.status.phase}=Available', `persistentvolume/data${sfx}`, '--timeout=30s'],
      row: new RegExp(`^data${sfx}\\s+5Gi\\s+RWO\\s+Retain\\s+Available\\s+manual\\s+<unset>\\s+${age}$`, 'm'),
      describe: [/StorageClass:\s+manual/, /Reclaim Policy:\s+Retain/, /Access Modes:\s+RWO/, /Capacity:\s+5Gi/, /Type:\s+HostPath/],
    },
    {
      kind: 'PersistentVolumeClaim', resource: 'persistentvolumeclaims', printed: 'persistentvolumeclaim', name: 'data', namespaced: true,
      yaml: (r) => `apiVersion: v1\nkind: PersistentVolumeClaim\n${meta('data', r)}spec:
  accessModes:
  - ReadWriteOnce
  storageClassName: manual
  resources:
    requests:
      storage: 10Gi
`,
      header: /^NAME\s+STATUS\s+VOLUME\s+CAPACITY\s+ACCESS MODES\s+STORAGECLASS\s+VOLUMEATTRIBUTESCLASS\s+AGE$/m,
      wideHeader: /^NAME\s+STATUS\s+VOLUME\s+CAPACITY\s+ACCESS MODES\s+STORAGECLASS\s+VOLUMEATTRIBUTESCLASS\s+AGE\s+VOLUMEMODE$/m,
      row: new RegExp(`^data\\s+Pending\\s+manual\\s+<unset>\\s+${age}$`, 'm'),
      describe: [/StorageClass:\s+manual/, /Status:\s+Pending/, /Volume:\s*\n/],
    },
    {
      kind: 'LimitRange', resource: 'limitranges', printed: 'limitrange', name: 'defaults', namespaced: true,
      yaml: (r) => `apiVersion: v1\nkind: LimitRange\n${meta('defaults', r)}spec:
  limits:
  - type: Container
    default:
      cpu: 500m
      memory: 256Mi
    defaultRequest:
      cpu: 100m
      memory: 64Mi
    max:
      cpu: "2"
`,
      header: /^NAME\s+CREATED AT$/m, row: /^defaults\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/m,
      describe: [/Type\s+Resource\s+Min\s+Max\s+Default Request\s+Default Limit\s+Max Limit\/Request Ratio/, /Container\s+cpu\s+-\s+2\s+100m\s+500m\s+-/],
    },
    {
      kind: 'ResourceQuota', resource: 'resourcequotas', printed: 'resourcequota', name: 'compute', namespaced: true,
      yaml: (r) => `apiVersion: v1\nkind: ResourceQuota\n${meta('compute', r)}spec:
  hard:
    pods: "10"
    requests.cpu: "4"
    limits.memory: 8Gi
  # Scoped to a priority class no session pod uses: unscoped, it would cap the namespace at 10 pods and refuse
  # pods without a memory limit while the workload kinds run next to it, so their outcome would depend on order.
  scopeSelector:
    matchExpressions:
    - scopeName: PriorityClass
      operator: In
      values: [critical${sfx}]
`,
      header: /^NAME\s+AGE\s+REQUEST\s+LIMIT$/m,
      // the quota controller fills status (hard and used); both describe and the columns print from status
      settle: ['wait', '--for=jsonpath={.status.hard.pods}=10', 'resourcequota/compute', '--timeout=60s'],
      row: new RegExp(`^compute\\s+${age}\\s+pods: 0/10, requests\\.cpu: 0/4\\s+limits\\.memory: 0/8Gi$`, 'm'),
      describe: [/Resource\s+Used\s+Hard/, /^pods\s+0\s+10$/m, /^limits\.memory\s+0\s+8Gi$/m],
    },
    {
      kind: 'ReplicationController', resource: 'replicationcontrollers', printed: 'replicationcontroller', name: 'legacy-web', namespaced: true,
      yaml: (r) => `apiVersion: v1\nkind: ReplicationController\n${meta('legacy-web', r)}spec:
  replicas: 2
  selector:
    app: legacy-web
  template:
${podTemplate('legacy-web')}
`,
      header: /^NAME\s+DESIRED\s+CURRENT\s+READY\s+AGE$/m,
      wideHeader: /^NAME\s+DESIRED\s+CURRENT\s+READY\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR$/m,
      settle: ['wait', '--for=jsonpath={.status.readyReplicas}=2', 'replicationcontroller/legacy-web', '--timeout=60s'],
      row: new RegExp(`^legacy-web\\s+2\\s+2\\s+2\\s+${age}$`, 'm'),
      describe: [/Replicas:\s+2 current \/ 2 desired/, /Pods Status:\s+2 Running \/ 0 Waiting \/ 0 Succeeded \/ 0 Failed/, /Selector:\s+app=legacy-web/, /Normal\s+SuccessfulCreate\s+.*replication-controller\s+Created pod: legacy-web-/],
    },
    {
      kind: 'Deployment', resource: 'deployments.apps', printed: 'deployment.apps', name: 'web', namespaced: true,
      yaml: (r) => `apiVersion: apps/v1\nkind: Deployment\n${meta('web', r)}spec:
  replicas: 3
  selector:
    matchLabels:
      app: web-d
  template:
${podTemplate('web-d')}
`,
      header: /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE$/m,
      wideHeader: /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR$/m,
      settle: ['rollout', 'status', 'deployment/web', '--timeout=60s'],
      row: new RegExp(`^web\\s+3/3\\s+3\\s+3\\s+${age}$`, 'm'),
      describe: [/Replicas:\s+3 desired \| 3 updated \| 3 total \| 3 available \| 0 unavailable/, /NewReplicaSet:\s+web-[a-z0-9]+ \(3\/3 replicas created\)/, /StrategyType:\s+RollingUpdate/, /RollingUpdateStrategy:\s+25% max unavailable, 25% max surge/, /Pod Template:/],
    },
    {
      kind: 'ReplicaSet', resource: 'replicasets.apps', printed: 'replicaset.apps', name: 'web-rs', namespaced: true,
      yaml: (r) => `apiVersion: apps/v1\nkind: ReplicaSet\n${meta('web-rs', r)}spec:
  replicas: 2
  selector:
    matchLabels:
      app: web-rs
  template:
${podTemplate('web-rs')}
`,
      header: /^NAME\s+DESIRED\s+CURRENT\s+READY\s+AGE$/m,
      wideHeader: /^NAME\s+DESIRED\s+CURRENT\s+READY\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR$/m,
      settle: ['wait', '--for=jsonpath={.status.readyReplicas}=2', 'replicaset.apps/web-rs', '--timeout=60s'],
      row: new RegExp(`^web-rs\\s+2\\s+2\\s+2\\s+${age}$`, 'm'),
      describe: [/Replicas:\s+2 current \/ 2 desired/, /Pods Status:\s+2 Running \/ 0 Waiting \/ 0 Succeeded \/ 0 Failed/],
    },
    {
      kind: 'StatefulSet', resource: 'statefulsets.apps', printed: 'statefulset.apps', name: 'db', namespaced: true,
      yaml: (r) => `apiVersion: apps/v1\nkind: StatefulSet\n${meta('db', r)}spec:
  serviceName: db
  replicas: 2
  selector:
    matchLabels:
      app: db
  template:
${podTemplate('db')}
  volumeClaimTemplates:
  - metadata:
      name: data
    spec:
      accessModes: [ReadWriteOnce]
      resources:
        requests:
          storage: 1Gi
`,
      header: /^NAME\s+READY\s+AGE$/m, wideHeader: /^NAME\s+READY\s+AGE\s+CONTAINERS\s+IMAGES$/m,
      // the claims data-db-N get volumes from the default StorageClass (provisioned once the scheduler picks a node,
      // as on kind), so both pods come up in order
      settle: ['rollout', 'status', 'statefulset.apps/db', '--timeout=120s'],
      row: new RegExp(`^db\\s+2/2\\s+${age}$`, 'm'),
      describe: [/Replicas:\s+2 desired \| 2 total/, /Pods Status:\s+2 Running \/ 0 Waiting \/ 0 Succeeded \/ 0 Failed/, /Update Strategy:\s+RollingUpdate/, /Volume Claims:/],
    },
    {
      kind: 'DaemonSet', resource: 'daemonsets.apps', printed: 'daemonset.apps', name: 'agent', namespaced: true,
      yaml: (r) => `apiVersion: apps/v1\nkind: DaemonSet\n${meta('agent', r)}spec:
  selector:
    matchLabels:
      app: agent
  template:
${podTemplate('agent')}
      nodeSelector:
        kubernetes.io/os: linux
`,
      header: /^NAME\s+DESIRED\s+CURRENT\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+NODE SELECTOR\s+AGE$/m,
      wideHeader: /^NAME\s+DESIRED\s+CURRENT\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+NODE SELECTOR\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR$/m,
      // one pod on the simulated node; the session's own Node carries a taint the pods do not tolerate
      settle: ['rollout', 'status', 'daemonset/agent', '--timeout=60s'],
      row: new RegExp(`^agent\\s+1\\s+1\\s+1\\s+1\\s+1\\s+kubernetes.io/os=linux\\s+${age}$`, 'm'),
      describe: [/Desired Number of Nodes Scheduled: 1/, /Pods Status:\s+1 Running \/ 0 Waiting \/ 0 Succeeded \/ 0 Failed/, /Node-Selector:\s+kubernetes.io\/os=linux/],
    },
    {
      kind: 'ControllerRevision', resource: 'controllerrevisions.apps', printed: 'controllerrevision.apps', name: 'db-1', namespaced: true,
      yaml: (r) => `apiVersion: apps/v1\nkind: ControllerRevision\n${meta('db-1', r)}revision: 1
data:
  spec:
    template:
      spec:
        containers:
        - name: nginx
          image: nginx:1.27
`,
      header: /^NAME\s+CONTROLLER\s+REVISION\s+AGE$/m, row: new RegExp(`^db-1\\s+<none>\\s+1\\s+${age}$`, 'm'),
      describe: [/Revision:\s+1/],
    },
    {
      kind: 'Job', resource: 'jobs.batch', printed: 'job.batch', name: 'migrate', namespaced: true,
      yaml: (r) => `apiVersion: batch/v1\nkind: Job\n${meta('migrate', r)}spec:
  backoffLimit: 2
  template:
    metadata:
      annotations:
        # the simulated runtime runs no command: this makes the container exit 0 after a second, as the echo would
        kin.dev/exit-after: 1s
    spec:
      restartPolicy: Never
      containers:
      - name: migrate
        image: busybox:1.36
        command: ["sh", "-c", "echo migrating"]
`,
      header: /^NAME\s+STATUS\s+COMPLETIONS\s+DURATION\s+AGE$/m,
      wideHeader: /^NAME\s+STATUS\s+COMPLETIONS\s+DURATION\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR$/m,
      settle: ['wait', '--for=condition=Complete', 'job/migrate', '--timeout=60s'],
      row: new RegExp(`^migrate\\s+Complete\\s+1/1\\s+\\d+s\\s+${age}$`, 'm'),
      describe: [/Parallelism:\s+1/, /Completions:\s+1/, /Completion Mode:\s+NonIndexed/, /Pods Statuses:\s+0 Active \(0 Ready\) \/ 1 Succeeded \/ 0 Failed/, /Normal\s+Completed\s+.*job-controller\s+Job completed/],
    },
    {
      kind: 'CronJob', resource: 'cronjobs.batch', printed: 'cronjob.batch', name: 'nightly', namespaced: true,
      yaml: (r) => `apiVersion: batch/v1\nkind: CronJob\n${meta('nightly', r)}spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
          - name: backup
            image: busybox:1.36
            command: ["sh", "-c", "echo backup"]
`,
      header: /^NAME\s+SCHEDULE\s+TIMEZONE\s+SUSPEND\s+ACTIVE\s+LAST SCHEDULE\s+AGE$/m,
      wideHeader: /^NAME\s+SCHEDULE\s+TIMEZONE\s+SUSPEND\s+ACTIVE\s+LAST SCHEDULE\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR$/m,
      row: new RegExp(`^nightly\\s+0 3 \\* \\* \\*\\s+<none>\\s+False\\s+0\\s+<none>\\s+${age}$`, 'm'),
      describe: [/Schedule:\s+0 3 \* \* \*/, /Concurrency Policy:\s+Allow/, /Suspend:\s+False/, /Last Schedule Time:\s+<unset>/],
    },
    {
      kind: 'Ingress', resource: 'ingresses.networking.k8s.io', printed: 'ingress.networking.k8s.io', name: 'web', namespaced: true,
      yaml: (r) => `apiVersion: networking.k8s.io/v1\nkind: Ingress\n${meta('web', r)}spec:
  ingressClassName: nginx
  rules:
  - host: web.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: web
            port:
              number: 80
`,
      header: /^NAME\s+CLASS\s+HOSTS\s+ADDRESS\s+PORTS\s+AGE$/m,
      row: new RegExp(`^web\\s+nginx\\s+web\\.example\\.com\\s+80\\s+${age}$`, 'm'),
      describe: [/Ingress Class:\s+nginx/, /web\.example\.com\s*\n\s+\/\s+web:80/],
    },
    {
      kind: 'IngressClass', resource: 'ingressclasses.networking.k8s.io', printed: 'ingressclass.networking.k8s.io', name: `nginx${sfx}`, namespaced: false,
      yaml: (r) => `apiVersion: networking.k8s.io/v1\nkind: IngressClass\n${meta(`nginx${sfx}`, r, false)}spec:\n  controller: k8s.io/ingress-nginx\n`,
      header: /^NAME\s+CONTROLLER\s+PARAMETERS\s+AGE$/m, row: new RegExp(`^nginx${sfx}\\s+k8s.io/ingress-nginx\\s+<none>\\s+${age}$`, 'm'),
      describe: [/Controller:\s+k8s.io\/ingress-nginx/],
    },
    {
      kind: 'NetworkPolicy', resource: 'networkpolicies.networking.k8s.io', printed: 'networkpolicy.networking.k8s.io', name: 'db-access', namespaced: true,
      yaml: (r) => `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n${meta('db-access', r)}spec:
  podSelector:
    matchLabels:
      app: db
  policyTypes: [Ingress]
  ingress:
  - from:
    - podSelector:
        matchLabels:
          app: web
    ports:
    - protocol: TCP
      port: 5432
`,
      header: /^NAME\s+POD-SELECTOR\s+AGE$/m, row: new RegExp(`^db-access\\s+app=db\\s+${age}$`, 'm'),
      describe: [/PodSelector:\s+app=db/, /Allowing ingress traffic:/, /To Port: 5432\/TCP/, /Policy Types: Ingress/],
    },
    {
      kind: 'EndpointSlice', resource: 'endpointslices.discovery.k8s.io', printed: 'endpointslice.discovery.k8s.io', name: 'web-abc', namespaced: true,
      yaml: (r) => `apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\n${meta('web-abc', r)}addressType: IPv4
ports:
- name: http
  port: 8080
  protocol: TCP
endpoints:
- addresses: ["10.1.2.3"]
  conditions:
    ready: true
`,
      header: /^NAME\s+ADDRESSTYPE\s+PORTS\s+ENDPOINTS\s+AGE$/m, row: new RegExp(`^web-abc\\s+IPv4\\s+8080\\s+10\\.1\\.2\\.3\\s+${age}$`, 'm'),
      describe: [/AddressType:\s+IPv4/, /Endpoints:/, /Addresses:\s+10\.1\.2\.3/],
    },
    {
      kind: 'Lease', resource: 'leases.coordination.k8s.io', printed: 'lease.coordination.k8s.io', name: 'leader', namespaced: true,
      yaml: (r) => `apiVersion: coordination.k8s.io/v1\nkind: Lease\n${meta('leader', r)}spec:
  holderIdentity: worker-a
  leaseDurationSeconds: 15
`,
      header: /^NAME\s+HOLDER\s+AGE$/m, row: new RegExp(`^leader\\s+worker-a\\s+${age}$`, 'm'),
      describe: [/Holder Identity:\s+worker-a/, /Lease Duration Seconds:\s+15/],
    },
    {
      kind: 'Event (events.k8s.io)', resource: 'events.events.k8s.io', printed: 'event.events.k8s.io', name: 'web.scheduled', namespaced: true,
      yaml: (r) => `apiVersion: events.k8s.io/v1\nkind: Event\n${meta('web.scheduled', r)}eventTime: "2025-01-01T00:00:00.000000Z"
reportingController: session-test/scheduler
reportingInstance: session-test-1
action: Binding
reason: Scheduled
note: assigned to nowhere
type: Normal
regarding:
  apiVersion: v1
  kind: Pod
  name: web
  namespace: ${ns}
`,
      header: /^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE$/m,
      wideHeader: /^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+SUBOBJECT\s+SOURCE\s+MESSAGE\s+FIRST SEEN\s+COUNT\s+NAME$/m,
      describe: [/Reason:\s+Scheduled/, /Note:\s+assigned to nowhere/],
    },
    {
      kind: 'Role', resource: 'roles.rbac.authorization.k8s.io', printed: 'role.rbac.authorization.k8s.io', name: 'pod-reader', namespaced: true,
      yaml: (r) => `apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\n${meta('pod-reader', r)}rules:
- apiGroups: [""]
  resources: [pods, pods/log]
  verbs: [get, list, watch]
`,
      header: /^NAME\s+CREATED AT$/m, row: /^pod-reader\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/m,
      describe: [/PolicyRule:/, /Resources\s+Non-Resource URLs\s+Resource Names\s+Verbs/, /pods\/log\s+\[\]\s+\[\]\s+\[get list watch\]/],
    },
    {
      kind: 'RoleBinding', resource: 'rolebindings.rbac.authorization.k8s.io', printed: 'rolebinding.rbac.authorization.k8s.io', name: 'read-pods', namespaced: true,
      yaml: (r) => `apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\n${meta('read-pods', r)}roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: pod-reader
subjects:
- kind: User
  apiGroup: rbac.authorization.k8s.io
  name: jane
- kind: ServiceAccount
  name: builder
  namespace: ${ns}
`,
      header: /^NAME\s+ROLE\s+AGE$/m, wideHeader: /^NAME\s+ROLE\s+AGE\s+USERS\s+GROUPS\s+SERVICEACCOUNTS$/m,
      row: new RegExp(`^read-pods\\s+Role/pod-reader\\s+${age}$`, 'm'),
      describe: [/Role:\n\s+Kind:\s+Role\n\s+Name:\s+pod-reader/, /User\s+jane/, new RegExp(`ServiceAccount\\s+builder\\s+${ns}`)],
    },
    {
      kind: 'ClusterRole', resource: 'clusterroles.rbac.authorization.k8s.io', printed: 'clusterrole.rbac.authorization.k8s.io', name: `node-viewer${sfx}`, namespaced: false,
      yaml: (r) => `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\n${meta(`node-viewer${sfx}`, r, false)}rules:
- apiGroups: [""]
  resources: [nodes]
  verbs: [get, list]
- nonResourceURLs: ["/healthz"]
  verbs: [get]
`,
      header: /^NAME\s+CREATED AT$/m, row: new RegExp(`^node-viewer${sfx}\\s+\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ$`, 'm'),
      describe: [/nodes\s+\[\]\s+\[\]\s+\[get list\]/, /\s+\[\/healthz\]\s+\[\]\s+\[get\]/],
    },
    {
      kind: 'ClusterRoleBinding', resource: 'clusterrolebindings.rbac.authorization.k8s.io', printed: 'clusterrolebinding.rbac.authorization.k8s.io', name: `node-viewers${sfx}`, namespaced: false,
      yaml: (r) => `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\n${meta(`node-viewers${sfx}`, r, false)}roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: node-viewer${sfx}
subjects:
- kind: Group
  apiGroup: rbac.authorization.k8s.io
  name: ops
`,
      header: /^NAME\s+ROLE\s+AGE$/m, wideHeader: /^NAME\s+ROLE\s+AGE\s+USERS\s+GROUPS\s+SERVICEACCOUNTS$/m,
      row: new RegExp(`^node-viewers${sfx}\\s+ClusterRole/node-viewer${sfx}\\s+${age}$`, 'm'),
      describe: [/Kind:\s+ClusterRole/, /Group\s+ops/],
    },
    {
      kind: 'StorageClass', resource: 'storageclasses.storage.k8s.io', printed: 'storageclass.storage.k8s.io', name: `fast${sfx}`, namespaced: false,
      yaml: (r) => `apiVersion: storage.k8s.io/v1\nkind: StorageClass\n${meta(`fast${sfx}`, r, false)}provisioner: kubernetes.io/no-provisioner
volumeBindingMode: WaitForFirstConsumer
allowVolumeExpansion: true
parameters:
  type: ssd
`,
      header: /^NAME\s+PROVISIONER\s+RECLAIMPOLICY\s+VOLUMEBINDINGMODE\s+ALLOWVOLUMEEXPANSION\s+AGE$/m,
      row: new RegExp(`^fast${sfx}\\s+kubernetes.io/no-provisioner\\s+Delete\\s+WaitForFirstConsumer\\s+true\\s+${age}$`, 'm'),
      describe: [/Provisioner:\s+kubernetes.io\/no-provisioner/, /Parameters:\s+type=ssd/, /VolumeBindingMode:\s+WaitForFirstConsumer/, /AllowVolumeExpansion:\s+True/, /ReclaimPolicy:\s+Delete/],
    },
    {
      kind: 'PodDisruptionBudget', resource: 'poddisruptionbudgets.policy', printed: 'poddisruptionbudget.policy', name: 'web', namespaced: true,
      yaml: (r) => `apiVersion: policy/v1\nkind: PodDisruptionBudget\n${meta('web', r)}spec:
  minAvailable: 1
  selector:
    matchLabels:
      app: web
`,
      header: /^NAME\s+MIN AVAILABLE\s+MAX UNAVAILABLE\s+ALLOWED DISRUPTIONS\s+AGE$/m,
      row: new RegExp(`^web\\s+1\\s+N/A\\s+0\\s+${age}$`, 'm'),
      describe: [/Min available:\s+1/, /Selector:\s+app=web/, /Allowed disruptions:\s+0/],
    },
    {
      kind: 'HorizontalPodAutoscaler (v1)', resource: 'horizontalpodautoscalers.v1.autoscaling', printed: 'horizontalpodautoscaler.autoscaling', name: 'web-v1', namespaced: true,
      yaml: (r) => `apiVersion: autoscaling/v1\nkind: HorizontalPodAutoscaler\n${meta('web-v1', r)}spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: web
  minReplicas: 2
  maxReplicas: 5
  targetCPUUtilizationPercentage: 70
`,
      header: /^NAME\s+REFERENCE\s+TARGETS\s+MINPODS\s+MAXPODS\s+REPLICAS\s+AGE$/m,
      row: new RegExp(`^web-v1\\s+Deployment/web\\s+cpu: <unknown>/70%\\s+2\\s+5\\s+0\\s+${age}$`, 'm'),
      describe: [/Reference:\s+Deployment\/web/, /Min replicas:\s+2/, /Max replicas:\s+5/],
    },
    {
      kind: 'HorizontalPodAutoscaler (v2)', resource: 'horizontalpodautoscalers.v2.autoscaling', printed: 'horizontalpodautoscaler.autoscaling', name: 'web-v2', namespaced: true,
      yaml: (r) => `apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\n${meta('web-v2', r)}spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: web
  minReplicas: 1
  maxReplicas: 10
  metrics:
  - type: Resource
    resource:
      name: memory
      target:
        type: Utilization
        averageUtilization: 80
`,
      header: /^NAME\s+REFERENCE\s+TARGETS\s+MINPODS\s+MAXPODS\s+REPLICAS\s+AGE$/m,
      row: new RegExp(`^web-v2\\s+Deployment/web\\s+memory: <unknown>/80%\\s+1\\s+10\\s+0\\s+${age}$`, 'm'),
      describe: [/Reference:\s+Deployment\/web/, /Min replicas:\s+1/, /Max replicas:\s+10/, /resource memory on pods\s+\(as a percentage of request\):\s+<unknown> \/ 80%/],
    },
    {
      kind: 'PriorityClass', resource: 'priorityclasses.scheduling.k8s.io', printed: 'priorityclass.scheduling.k8s.io', name: `critical${sfx}`, namespaced: false,
      yaml: (r) => `apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\n${meta(`critical${sfx}`, r, false)}value: 100000
globalDefault: false
description: For the session's critical pods.
`,
      header: /^NAME\s+VALUE\s+GLOBAL-DEFAULT\s+AGE\s+PREEMPTIONPOLICY$/m,
      row: new RegExp(`^critical${sfx}\\s+100000\\s+false\\s+${age}\\s+PreemptLowerPriority$`, 'm'),
      describe: [/Value:\s+100000/, /GlobalDefault:\s+false/, /PreemptionPolicy:\s+PreemptLowerPriority/, /Description:\s+For the session's critical pods\./],
    },
    {
      kind: 'MutatingWebhookConfiguration', resource: 'mutatingwebhookconfigurations.admissionregistration.k8s.io', printed: 'mutatingwebhookconfiguration.admissionregistration.k8s.io', name: `inject${sfx}`, namespaced: false,
      yaml: (r) => `apiVersion: admissionregistration.k8s.io/v1\nkind: MutatingWebhookConfiguration\n${meta(`inject${sfx}`, r, false)}webhooks:
- name: inject.session.example.com
  admissionReviewVersions: [v1]
  sideEffects: None
  failurePolicy: Ignore
  timeoutSeconds: 2
  clientConfig:
    url: https://127.0.0.1:1/inject
  rules:
  - apiGroups: [example.com]
    apiVersions: [v1]
    operations: [CREATE]
    resources: [widgets]
`,
      header: /^NAME\s+WEBHOOKS\s+AGE$/m, row: new RegExp(`^inject${sfx}\\s+1\\s+${age}$`, 'm'),
      describe: [/Kind:\s+MutatingWebhookConfiguration/, /Webhooks:/, /Failure Policy:\s+Ignore/],
    },
    {
      kind: 'ValidatingWebhookConfiguration', resource: 'validatingwebhookconfigurations.admissionregistration.k8s.io', printed: 'validatingwebhookconfiguration.admissionregistration.k8s.io', name: `check${sfx}`, namespaced: false,
      yaml: (r) => `apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingWebhookConfiguration\n${meta(`check${sfx}`, r, false)}webhooks:
- name: check.session.example.com
  admissionReviewVersions: [v1]
  sideEffects: None
  failurePolicy: Ignore
  timeoutSeconds: 2
  clientConfig:
    url: https://127.0.0.1:1/check
  rules:
  - apiGroups: [example.com]
    apiVersions: [v1]
    operations: [CREATE, UPDATE]
    resources: [widgets]
`,
      header: /^NAME\s+WEBHOOKS\s+AGE$/m, row: new RegExp(`^check${sfx}\\s+1\\s+${age}$`, 'm'),
      describe: [/Kind:\s+ValidatingWebhookConfiguration/, /Webhooks:/],
    },
    {
      kind: 'ValidatingAdmissionPolicy', resource: 'validatingadmissionpolicies.admissionregistration.k8s.io', printed: 'validatingadmissionpolicy.admissionregistration.k8s.io', name: `replica-limit${sfx}`, namespaced: false,
      yaml: (r) => `apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicy\n${meta(`replica-limit${sfx}`, r, false)}spec:
  failurePolicy: Fail
  matchConstraints:
    resourceRules:
    - apiGroups: [apps]
      apiVersions: [v1]
      operations: [CREATE, UPDATE]
      resources: [deployments]
  validations:
  - expression: "object.spec.replicas <= 50"
    message: at most 50 replicas
`,
      header: /^NAME\s+VALIDATIONS\s+PARAMKIND\s+AGE$/m, row: new RegExp(`^replica-limit${sfx}\\s+1\\s+<unset>\\s+${age}$`, 'm'),
      describe: [/Kind:\s+ValidatingAdmissionPolicy/, /Expression:\s+object\.spec\.replicas <= 50/],
    },
    {
      kind: 'ValidatingAdmissionPolicyBinding', resource: 'validatingadmissionpolicybindings.admissionregistration.k8s.io', printed: 'validatingadmissionpolicybinding.admissionregistration.k8s.io', name: `replica-limit${sfx}`, namespaced: false,
      yaml: (r) => `apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicyBinding\n${meta(`replica-limit${sfx}`, r, false)}spec:
  policyName: replica-limit${sfx}
  validationActions: [Deny]
  matchResources:
    namespaceSelector:
      matchLabels:
        kubernetes.io/metadata.name: ${ns}
`,
      header: /^NAME\s+POLICYNAME\s+PARAMREF\s+AGE$/m, row: new RegExp(`^replica-limit${sfx}\\s+replica-limit${sfx}\\s+<unset>\\s+${age}$`, 'm'),
      describe: [/Kind:\s+ValidatingAdmissionPolicyBinding/, new RegExp(`Policy Name:\\s+replica-limit${sfx}`)],
    },
  ];
}
