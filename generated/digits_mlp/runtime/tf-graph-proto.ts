// The few TensorFlow protocol-buffer messages a recorded training step needs
// (SavedModel → MetaGraphDef → GraphDef → NodeDef → AttrValue, TensorProto),
// written by hand in the protobuf wire format: the field numbers are those of
// tensorflow/core/protobuf/{saved_model,meta_graph}.proto and
// tensorflow/core/framework/{graph,node_def,attr_value,tensor,tensor_shape}.proto.
// Enough for tfjs-node's `loadSavedModel`; nothing is ever parsed back.

/** An attribute value: the subset tfjs-node's op attributes can hold. */
export type GraphAttr =
  | { kind: 'type'; value: number }
  | { kind: 'bool'; value: boolean }
  | { kind: 'int'; value: number }
  | { kind: 'ints'; value: readonly number[] }
  | { kind: 'float'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'shape'; value: readonly number[] }
  | { kind: 'tensor'; dtype: number; shape: readonly number[]; bytes: Uint8Array };

/** One graph node: `input` entries are `name` or `name:k` (output k). */
export interface GraphNode {
  name: string;
  op: string;
  input: readonly string[];
  attr: Readonly<Record<string, GraphAttr>>;
}

/** Protobuf wire-format writer (varints, length-delimited fields, fixed32 floats). */
class Writer {
  private readonly parts: number[] = [];

  varint(v: number): this {
    let x = BigInt.asUintN(64, BigInt(Math.trunc(v)));
    while (x >= 0x80n) {
      this.parts.push(Number(x & 0x7fn) | 0x80);
      x >>= 7n;
    }
    this.parts.push(Number(x));
    return this;
  }

  private key(field: number, wire: 0 | 2 | 5): this {
    return this.varint(field * 8 + wire);
  }

  int(field: number, v: number): this {
    return this.key(field, 0).varint(v);
  }

  float(field: number, v: number): this {
    this.key(field, 5);
    for (const b of new Uint8Array(new Float32Array([v]).buffer)) this.parts.push(b);
    return this;
  }

  bytes(field: number, b: ArrayLike<number>): this {
    this.key(field, 2).varint(b.length);
    for (let i = 0; i < b.length; i++) this.parts.push(b[i]!);
    return this;
  }

  string(field: number, s: string): this {
    return this.bytes(field, new TextEncoder().encode(s));
  }

  message(field: number, build: (w: Writer) => void): this {
    const inner = new Writer();
    build(inner);
    return this.bytes(field, inner.parts);
  }

  done(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

/** TensorShapeProto: dim = 2 (Dim.size = 1). */
function shape(w: Writer, dims: readonly number[]): void {
  for (const d of dims) w.message(2, (dim) => dim.int(1, d));
}

/** AttrValue: list = 1 (ListValue.i = 3), s = 2, i = 3, f = 4, b = 5, type = 6, shape = 7, tensor = 8. */
function attrValue(w: Writer, a: GraphAttr): void {
  switch (a.kind) {
    case 'string':
      w.string(2, a.value);
      break;
    case 'int':
      w.int(3, a.value);
      break;
    case 'float':
      w.float(4, a.value);
      break;
    case 'bool':
      w.int(5, a.value ? 1 : 0);
      break;
    case 'type':
      w.int(6, a.value);
      break;
    case 'shape':
      w.message(7, (s) => shape(s, a.value));
      break;
    case 'ints':
      w.message(1, (list) => a.value.forEach((v) => list.int(3, v)));
      break;
    case 'tensor':
      // TensorProto: dtype = 1, tensor_shape = 2, tensor_content = 4
      w.message(8, (t) => t.int(1, a.dtype).message(2, (s) => shape(s, a.shape)).bytes(4, a.bytes));
      break;
  }
}

/**
 * A SavedModel (schema version 1) with one MetaGraphDef tagged `tag` holding
 * `nodes`: saved_model_schema_version = 1, meta_graphs = 2; MetaGraphDef
 * meta_info_def = 1 (tags = 4), graph_def = 2; GraphDef node = 1,
 * versions = 4 (producer = 1); NodeDef name = 1, op = 2, input = 3, attr = 5
 * (map entries: key = 1, value = 2). No variables: the loader then restores none.
 */
export function savedModelBytes(nodes: readonly GraphNode[], tag: string, producer: number): Uint8Array {
  return new Writer()
    .int(1, 1)
    .message(2, (meta) => {
      meta.message(1, (info) => info.string(4, tag));
      meta.message(2, (graph) => {
        for (const n of nodes) {
          graph.message(1, (node) => {
            node.string(1, n.name).string(2, n.op);
            for (const i of n.input) node.string(3, i);
            for (const [k, v] of Object.entries(n.attr)) node.message(5, (e) => e.string(1, k).message(2, (av) => attrValue(av, v)));
          });
        }
        graph.message(4, (versions) => versions.int(1, producer));
      });
    })
    .done();
}
