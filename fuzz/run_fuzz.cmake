# cmake -DEXE= -DCORPUS= -DWORK= -DSECONDS= -P run_fuzz.cmake: fuzzes EXE for SECONDS from the seeds
# in CORPUS; new inputs and any crashing input land in WORK (emptied first).
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK}/new)
execute_process(COMMAND ${EXE} -max_total_time=${SECONDS} -timeout=30 -rss_limit_mb=2048
                        -print_final_stats=1 -artifact_prefix=${WORK}/ ${WORK}/new ${CORPUS}
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${EXE} failed (${rc}); the input that broke it is in ${WORK}/ (reproduce: "
                      "${EXE} <that file>)")
endif()
