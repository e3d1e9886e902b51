// Every kernel of this package, one file each; importing a file registers its definition (not yet
// installed into TF.js). Kernel files add their import here.
import '../matmul/batchMatMul.js';
import '../matmul/fusedMatMul.js';
import '../attention/index.js';
import '../layernorm/layer-norm.js';
import '../layernorm/add-layer-norm.js';
import '../layernorm/layer-norm-grad.js';
import '../gelu/bias-gelu.js';
import '../gelu/bias-gelu-grad.js';
import '../cross-entropy/softmax-cross-entropy.js';
import '../cross-entropy/softmax-cross-entropy-grad.js';
import '../adamw/global-norm.js';
import '../adamw/adamw.js';
