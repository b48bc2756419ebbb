# Runs cfn-lint on tests/golden/*.yaml and templates/*/template.yaml; any finding fails.
file(GLOB files ${SOURCE_DIR}/tests/golden/*.yaml ${SOURCE_DIR}/templates/*/template.yaml)
if(NOT files)
  message(FATAL_ERROR "no templates found to lint")
endif()
list(LENGTH files n)
execute_process(COMMAND cfn-lint --format parseable -- ${files}
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "cfn-lint findings (exit ${rc}):\n${out}${err}")
endif()
message(STATUS "cfn-lint: ${n} templates, 0 findings")
