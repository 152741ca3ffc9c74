"""A cache prefetch hint for compiled loops that visit agents in a random order.

Core object: :func:`prefetch`.

Markets visit households and workers in a random queue, so each visit reads memory
far from the last one and would wait about 100 ns for it. Asking the processor to
start fetching the agent a few places ahead in the queue hides that wait; it never
changes what is computed, only when the data arrives.
"""

from __future__ import annotations

from llvmlite import ir
from numba import types
from numba.extending import intrinsic

QUEUE_LOOKAHEAD = 16
"""How many places ahead in a queue to prefetch: enough to cover memory latency."""


@intrinsic
def prefetch(typingctx, array, offset):
    """Hint that element ``offset`` of C-contiguous ``array``'s data will be read soon.

    ``offset`` counts elements from the start of the data (for a 2-D array, row
    ``i`` starts at ``i * array.shape[1]``). Usable only inside numba-compiled code.
    """
    signature = types.void(array, offset)

    def codegen(context, builder, signature, args):
        array_type = signature.args[0]
        data = context.make_array(array_type)(context, builder, args[0]).data
        byte_pointer = ir.IntType(8).as_pointer()
        int32 = ir.IntType(32)
        llvm_prefetch = builder.module.declare_intrinsic(
            "llvm.prefetch",
            fnty=ir.FunctionType(ir.VoidType(), [byte_pointer, int32, int32, int32]),
        )
        address = builder.bitcast(builder.gep(data, [args[1]]), byte_pointer)
        # read (0), keep in all cache levels (3), data cache (1)
        builder.call(llvm_prefetch, [address, int32(0), int32(3), int32(1)])
        return context.get_dummy_value()

    return signature, codegen
