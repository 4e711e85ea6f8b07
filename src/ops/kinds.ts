// Every primitive of the IR. Adding a kind here without an entry in the
// registry (src/ops/registry.ts) is a compile error.
export const OP_KINDS = [
  // leaves
  'input',
  'param',
  'const',
  // elementwise
  'add',
  'sub',
  'mul',
  'div',
  'neg',
  'square',
  'sqrt',
  'exp',
  'log',
  'pow',
  'relu',
  'sigmoid',
  'tanh',
  'step',
  'abs',
  'sign',
  'cast',
  // gradient kernels of activations, from saved outputs
  'relu_grad',
  'sigmoid_grad',
  'tanh_grad',
  // linear algebra and shape
  'matmul',
  'reshape',
  'transpose',
  'broadcast',
  'broadcast_like',
  'slice',
  'pad',
  'concat',
  'sum',
  'mean',
  'inv_count',
  'max',
  'max_grad',
  'argmax',
  // convolution and pooling (NHWC) with their backward kernels
  'conv2d',
  'conv2d_backprop_input',
  'conv2d_backprop_filter',
  'max_pool',
  'max_pool_grad',
  'avg_pool',
  'avg_pool_grad',
  // embeddings
  'gather',
  'unsorted_segment_sum',
  // the LSTM (ops/lstm.ts): forward loop, backward loop, time-distributed products
  'lstm_seq',
  'lstm_bptt',
  'seq_contract',
  'seq_matmul_t',
  // normalisers
  'softmax',
  'log_softmax',
  // stochastic regularisation
  'dropout_mask',
  // batch_norm: batch statistics while training, running statistics otherwise
  'training_select',
  // fused losses and their gradients
  'softmax_cross_entropy',
  'softmax_cross_entropy_grad',
  'softmax_cross_entropy_mean_grad',
  'sigmoid_cross_entropy',
  'sigmoid_cross_entropy_grad',
  'mse',
  'l2',
  'one_hot',
] as const;

export type OpKind = (typeof OP_KINDS)[number];
