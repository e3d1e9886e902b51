// Every kernel of this package, one file each; importing a file registers its definition (not yet
// installed into TF.js). Kernel files add their import here.
import '../matmul/batchMatMul.js';
import '../matmul/fusedMatMul.js';
import '../attention/index.js';
